using System.Security.Claims;

namespace ReviewPortal.Web.Features.Shared;

/// <summary>
/// The principal of a request an API client's key authenticated, so that authorization judges machines and people
/// through the same handlers. It carries only the client's name: never a person's roles.
/// </summary>
public static class ApiClientPrincipal
{
    public const string AuthenticationType = "ApiKey";

    public const string ClientNameClaim = "api_client";

    /// <summary>One per repository the client's grants limit it to; a client without grants has none (and no limit).</summary>
    public const string RepositoryClaim = "api_repository";

    private const string LimitedClaim = "api_repositories_limited";

    public static ClaimsPrincipal For(string clientName, IReadOnlySet<string>? repositories = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clientName);
        var claims = new List<Claim> { new(ClientNameClaim, clientName) };
        if (repositories is not null)
        {
            claims.Add(new Claim(LimitedClaim, "true"));
            claims.AddRange(repositories.Select(r => new Claim(RepositoryClaim, r)));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, AuthenticationType, ClientNameClaim, roleType: null));
    }

    /// <summary>The repositories the client <paramref name="user"/> stands for is limited to; null when it is not limited.</summary>
    public static IReadOnlySet<string>? RepositoriesOf(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.HasClaim(c => c.Type == LimitedClaim)
            ? user.FindAll(RepositoryClaim).Select(c => c.Value).ToHashSet(StringComparer.Ordinal)
            : null;
    }

    /// <summary>The API client <paramref name="user"/> stands for; null for people and anonymous callers.</summary>
    public static string? NameOf(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.Identities.FirstOrDefault(i => i.IsAuthenticated && i.AuthenticationType == AuthenticationType)?.FindFirst(ClientNameClaim)?.Value;
    }
}
