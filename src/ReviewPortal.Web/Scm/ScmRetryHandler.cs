using System.Globalization;
using System.Net;
using Polly;
using Polly.Retry;
using ReviewPortal.Web.Infrastructure;

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
/// The SCM refused a call with a 4xx other than 408, 429 or a rate-limited 403 (not found, no access, invalid): asking
/// again gets the same answer.
/// </summary>
public sealed class ScmRequestRejectedException : PermanentFailureException
{
    public ScmRequestRejectedException()
    {
    }

    public ScmRequestRejectedException(string message)
        : base(message)
    {
    }

    public ScmRequestRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ScmRequestRejectedException(string message, HttpStatusCode statusCode)
        : base(message)
    {
        StatusCode = statusCode;
    }

    public HttpStatusCode? StatusCode { get; }
}

public static class ScmResponses
{
    /// <summary>
    /// Throws for an unsuccessful answer, naming the call: <see cref="ScmRequestRejectedException"/> (permanent) for a
    /// 4xx the SCM will repeat, else <see cref="HttpRequestException"/> (transient), by the same rule the retries use.
    /// </summary>
    public static void EnsureScmSuccess(this HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var message = $"SCM call {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode} {response.ReasonPhrase}.";
        throw (int)response.StatusCode is >= 400 and < 500 && !ScmRetryHandler.IsTransient(response)
            ? new ScmRequestRejectedException(message, response.StatusCode)
            : new HttpRequestException(message, null, response.StatusCode);
    }
}

/// <summary>
/// Retries SCM calls on 5xx, 408, 429, rate-limited 403 and network errors, waiting as long as the SCM says
/// (<c>Retry-After</c>, or GitHub's <c>x-ratelimit-reset</c> / GitLab's <c>RateLimit-Reset</c> when the remaining
/// quota is 0), else with exponential backoff. Waits longer than <see cref="MaxInProcessWait"/> are not slept
/// through: the call fails with <see cref="ScmRateLimitedException"/> and the durable inbox retries at that time.
/// </summary>
public sealed class ScmRetryHandler(TimeProvider clock, ILogger<ScmRetryHandler> logger) : DelegatingHandler
{
    public static readonly TimeSpan MaxInProcessWait = TimeSpan.FromSeconds(30);

    // The call being retried: a failed attempt that threw has no response to name it by.
    private static readonly ResiliencePropertyKey<HttpRequestMessage> RequestKey = new("ReviewPortal.ScmRequest");

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
                { Result: { } response } => IsTransient(response),
                _ => false,
            }),
            DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result is { } response ? ServerRequestedDelay(response, clock) : null),
            OnRetry = args =>
            {
                var request = args.Context.Properties.GetValue(RequestKey, null!);
                logger.LogWarning("SCM call {Method} {Uri} failed ({Outcome}); retry {Attempt} in {Delay}.",
                    request?.Method, request?.RequestUri,
                    args.Outcome.Result?.StatusCode.ToString() ?? args.Outcome.Exception?.GetType().Name, args.AttemptNumber + 1, args.RetryDelay);
                args.Outcome.Result?.Dispose();
                return ValueTask.CompletedTask;
            },
        })
        .Build();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(RequestKey, request);
        try
        {
            return await _pipeline.ExecuteAsync(async ctx =>
            {
                var attempt = await base.SendAsync(request, ctx.CancellationToken);
                if (IsTransient(attempt) && ServerRequestedDelay(attempt, clock) is { } delay && delay > MaxInProcessWait)
                {
                    attempt.Dispose();
                    throw new ScmRateLimitedException(clock.GetUtcNow() + delay, $"SCM call {request.Method} {request.RequestUri} was rate-limited: asked to wait {delay.TotalSeconds:0} s.");
                }

                return attempt;
            }, context);
        }
        catch (HttpRequestException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // The network error itself does not say which call failed; the inbox logs and stores this message.
            throw new HttpRequestException($"SCM call {request.Method} {request.RequestUri} failed: {ex.Message}", ex, ex.StatusCode);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>Whether an answer is worth asking again for: 5xx, 408, 429, or a rate-limited 403.</summary>
    public static bool IsTransient(HttpResponseMessage response) =>
        (int)response.StatusCode >= 500
        || response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout
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
