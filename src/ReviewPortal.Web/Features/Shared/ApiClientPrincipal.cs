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

    public static ClaimsPrincipal For(string clientName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clientName);
        return new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClientNameClaim, clientName)], AuthenticationType, ClientNameClaim, roleType: null));
    }

    /// <summary>The API client <paramref name="user"/> stands for; null for people and anonymous callers.</summary>
    public static string? NameOf(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.Identities.FirstOrDefault(i => i.IsAuthenticated && i.AuthenticationType == AuthenticationType)?.FindFirst(ClientNameClaim)?.Value;
    }
}
