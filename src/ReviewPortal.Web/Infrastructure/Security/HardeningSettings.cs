namespace ReviewPortal.Web.Infrastructure.Security;

/// <summary><c>Security</c>: session lifetimes, failure limits and the parts of the response headers that vary by deployment.</summary>
public sealed class HardeningSettings
{
    public const string Section = "Security";

    public SessionSettings Session { get; set; } = new();

    /// <summary>Failed password sign-ins per remote address (wrong password, refused account, unknown user).</summary>
    public FailureLimitSettings SignInFailures { get; set; } = new() { PermitLimit = 10, Window = TimeSpan.FromMinutes(5) };

    /// <summary>Calls with a missing, wrong or revoked API key per remote address.</summary>
    public FailureLimitSettings ApiKeyFailures { get; set; } = new() { PermitLimit = 30, Window = TimeSpan.FromMinutes(1) };

    /// <summary>How long browsers keep to https once they saw the portal over it (sent outside Development only).</summary>
    public TimeSpan HstsMaxAge { get; set; } = TimeSpan.FromDays(365);

    /// <summary>
    /// Origins forms may submit to besides the portal and its identity providers' authorities: an identity provider whose
    /// authorization or end-session endpoint lives on another origin than its issuer.
    /// </summary>
    public List<string> ExtraFormActionOrigins { get; set; } = [];

    internal IEnumerable<string> Problems()
    {
        if (Session.IdleTimeout <= TimeSpan.Zero)
        {
            yield return $"{Section}:Session:IdleTimeout must be positive.";
        }

        if (Session.AbsoluteLifetime < Session.IdleTimeout)
        {
            yield return $"{Section}:Session:AbsoluteLifetime must be at least {Section}:Session:IdleTimeout.";
        }

        foreach (var (name, limit) in new[] { (nameof(SignInFailures), SignInFailures), (nameof(ApiKeyFailures), ApiKeyFailures) })
        {
            if (limit.PermitLimit < 1 || limit.Window <= TimeSpan.Zero)
            {
                yield return $"{Section}:{name} needs a PermitLimit of at least 1 and a positive Window.";
            }
        }

        foreach (var origin in ExtraFormActionOrigins)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps || uri.PathAndQuery != "/")
            {
                yield return $"{Section}:ExtraFormActionOrigins: '{origin}' must be an https origin (scheme and host, no path).";
            }
        }
    }
}

public sealed class SessionSettings
{
    /// <summary>A session nobody used for this long ends (the cookie slides while in use).</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromHours(8);

    /// <summary>A session ends this long after its sign-in however busy it is; signing in again starts a new one.</summary>
    public TimeSpan AbsoluteLifetime { get; set; } = TimeSpan.FromHours(12);
}

public sealed class FailureLimitSettings
{
    public int PermitLimit { get; set; }

    public TimeSpan Window { get; set; }
}
