using System.Security.Claims;

namespace ReviewPortal.Web.Features.Account.SingleSignOn;

/// <summary>
/// Who a provider says signed in: the pair (issuer, subject) is the identity; name, email and groups are what the
/// provider tells about it at this sign-in and may change at the next.
/// </summary>
public sealed record ProviderIdentity(
    string Issuer,
    string Subject,
    string? Email,
    bool EmailVerified,
    string? Name,
    IReadOnlyList<string> Groups)
{
    /// <summary>Reads the identity from the raw claims of a validated id_token (and userinfo), or null with the claim that is missing.</summary>
    public static ProviderIdentity? From(ClaimsPrincipal principal, string groupsClaim, out string? missing)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var issuer = principal.FindFirstValue("iss");
        var subject = principal.FindFirstValue("sub");
        missing = issuer is null ? "iss" : subject is null ? "sub" : null;
        if (missing is not null)
        {
            return null;
        }

        return new ProviderIdentity(
            issuer!,
            subject!,
            principal.FindFirstValue("email"),
            string.Equals(principal.FindFirstValue("email_verified"), "true", StringComparison.OrdinalIgnoreCase),
            principal.FindFirstValue("name") ?? principal.FindFirstValue("preferred_username"),
            // The provider may put groups in the id_token and in userinfo: each counts once.
            [.. principal.FindAll(groupsClaim).Select(c => c.Value).Distinct(StringComparer.Ordinal)]);
    }
}
