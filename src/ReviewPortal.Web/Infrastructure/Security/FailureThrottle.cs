using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace ReviewPortal.Web.Infrastructure.Security;

/// <summary>What a <see cref="FailureThrottle"/> counts, each with its own limit.</summary>
public enum FailureKind
{
    SignIn,
    ApiKey,
}

/// <summary>
/// Counts failures (not requests) per remote address in fixed windows and says when an address has used up its
/// failures. Built on the rate limiters of System.Threading.RateLimiting, which ASP.NET Core's rate-limiting
/// middleware uses too; the middleware itself acquires before the endpoint runs, so it can only count every request,
/// and an agent's successful calls must never use up its budget.
/// </summary>
public sealed class FailureThrottle : IDisposable
{
    private readonly Dictionary<FailureKind, PartitionedRateLimiter<string>> _limiters;

    public FailureThrottle(IOptions<HardeningSettings> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _limiters = new()
        {
            [FailureKind.SignIn] = Create(settings.Value.SignInFailures),
            [FailureKind.ApiKey] = Create(settings.Value.ApiKeyFailures),
        };
    }

    /// <summary>The address a failure counts against: the connection's (a proxy in front must forward the client's).</summary>
    public static string AddressOf(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        return http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
    }

    /// <summary>False, with when to try again, once <paramref name="address"/> has no failures left in this window.</summary>
    public bool MayTry(FailureKind kind, string address, out TimeSpan retryAfter)
    {
        // Zero permits asks whether any are left without taking one.
        using var lease = _limiters[kind].AttemptAcquire(address, 0);
        retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.Zero;
        return lease.IsAcquired;
    }

    public void RecordFailure(FailureKind kind, string address)
    {
        using var lease = _limiters[kind].AttemptAcquire(address);
    }

    public void Dispose()
    {
        foreach (var limiter in _limiters.Values)
        {
            limiter.Dispose();
        }
    }

    private static PartitionedRateLimiter<string> Create(FailureLimitSettings limit) =>
        PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = limit.PermitLimit,
            Window = limit.Window,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    /// <summary>The 429 problem+json (with Retry-After) for a caller whose address has used up its failures.</summary>
    public static IResult TooManyFailures(HttpContext http, TimeSpan retryAfter, string failures)
    {
        ArgumentNullException.ThrowIfNull(http);
        var seconds = RetryAfterSeconds(retryAfter);
        http.Response.Headers.RetryAfter = seconds;
        return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: $"Too many {failures} from this address.",
            detail: $"Try again in {seconds} seconds.");
    }

    /// <summary>Whole seconds for a Retry-After header, at least one.</summary>
    public static string RetryAfterSeconds(TimeSpan retryAfter) =>
        Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
