using System.Globalization;
using System.Net;
using Polly;
using Polly.Retry;

namespace ReviewPortal.Web.Scm;

/// <summary>The SCM asked us to come back later than we are willing to wait in-process; the inbox reschedules.</summary>
public sealed class ScmRateLimitedException : Exception
{
    public ScmRateLimitedException()
    {
    }

    public ScmRateLimitedException(string message)
        : base(message)
    {
    }

    public ScmRateLimitedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ScmRateLimitedException(DateTimeOffset retryAt, string message)
        : base(message)
    {
        RetryAt = retryAt;
    }

    public DateTimeOffset RetryAt { get; }
}

/// <summary>
/// Retries SCM calls on 5xx, 429, rate-limited 403 and network errors, waiting as long as the SCM says
/// (<c>Retry-After</c>, or GitHub's <c>x-ratelimit-reset</c> / GitLab's <c>RateLimit-Reset</c> when the remaining
/// quota is 0), else with exponential backoff. Waits longer than <see cref="MaxInProcessWait"/> are not slept
/// through: the call fails with <see cref="ScmRateLimitedException"/> and the durable inbox retries at that time.
/// </summary>
public sealed class ScmRetryHandler(TimeProvider clock, ILogger<ScmRetryHandler> logger) : DelegatingHandler
{
    public static readonly TimeSpan MaxInProcessWait = TimeSpan.FromSeconds(30);

    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>
    {
        TimeProvider = clock,
    }
        .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
        {
            MaxRetryAttempts = 4,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(500),
            ShouldHandle = args => ValueTask.FromResult(args.Outcome switch
            {
                { Exception: HttpRequestException } => true,
                { Exception: TaskCanceledException } when !args.Context.CancellationToken.IsCancellationRequested => true,
                { Result: { } response } => IsRetryable(response),
                _ => false,
            }),
            DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result is { } response ? ServerRequestedDelay(response, clock) : null),
            OnRetry = args =>
            {
                logger.LogWarning("SCM call {Method} {Uri} failed ({Outcome}); retry {Attempt} in {Delay}.",
                    args.Outcome.Result?.RequestMessage?.Method, args.Outcome.Result?.RequestMessage?.RequestUri,
                    args.Outcome.Result?.StatusCode.ToString() ?? args.Outcome.Exception?.GetType().Name, args.AttemptNumber + 1, args.RetryDelay);
                args.Outcome.Result?.Dispose();
                return ValueTask.CompletedTask;
            },
        })
        .Build();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await _pipeline.ExecuteAsync(async token =>
        {
            var attempt = await base.SendAsync(request, token);
            if (IsRetryable(attempt) && ServerRequestedDelay(attempt, clock) is { } delay && delay > MaxInProcessWait)
            {
                attempt.Dispose();
                throw new ScmRateLimitedException(clock.GetUtcNow() + delay, $"{request.RequestUri?.Host} asked us to wait {delay.TotalSeconds:0} s.");
            }

            return attempt;
        }, cancellationToken);
        return response;
    }

    private static bool IsRetryable(HttpResponseMessage response) =>
        (int)response.StatusCode >= 500
        || response.StatusCode == HttpStatusCode.TooManyRequests
        || (response.StatusCode == HttpStatusCode.Forbidden && (Header(response, "x-ratelimit-remaining") == "0" || response.Headers.RetryAfter is not null));

    /// <summary>How long the SCM asked us to wait, if it said so.</summary>
    public static TimeSpan? ServerRequestedDelay(HttpResponseMessage response, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(clock);
        if (response.Headers.RetryAfter is { } retryAfter)
        {
            if (retryAfter.Delta is { } delta)
            {
                return delta;
            }

            if (retryAfter.Date is { } date)
            {
                return Max(date - clock.GetUtcNow());
            }
        }

        var remaining = Header(response, "x-ratelimit-remaining") ?? Header(response, "RateLimit-Remaining");
        var reset = Header(response, "x-ratelimit-reset") ?? Header(response, "RateLimit-Reset");
        if (remaining == "0" && long.TryParse(reset, NumberStyles.Integer, CultureInfo.InvariantCulture, out var epochSeconds))
        {
            return Max(DateTimeOffset.FromUnixTimeSeconds(epochSeconds) - clock.GetUtcNow());
        }

        return null;

        static TimeSpan Max(TimeSpan delay) => delay < TimeSpan.Zero ? TimeSpan.Zero : delay;
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
