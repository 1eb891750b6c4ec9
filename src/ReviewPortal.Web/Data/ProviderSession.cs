namespace ReviewPortal.Web.Data;

/// <summary>
/// A sign-in through an identity provider that the portal keeps checking while it lives: the provider's refresh token
/// (encrypted) lets the portal read the person's groups again and learn when the provider no longer knows them.
/// </summary>
public sealed class ProviderSession
{
    public Guid Id { get; set; }
    public required string UserId { get; set; }

    /// <summary>The provider's authentication scheme (<c>oidc-{Name}</c>).</summary>
    public required string Scheme { get; set; }

    /// <summary>The subject the provider signed in; userinfo must answer for the same one.</summary>
    public required string Subject { get; set; }

    /// <summary>The refresh token, encrypted with the portal's data protection keys.</summary>
    public required string ProtectedRefreshToken { get; set; }

    public DateTimeOffset SignedInAt { get; set; }

    /// <summary>When the provider is asked next; a worker that takes the session moves it on first (its lease).</summary>
    public DateTimeOffset NextCheckAt { get; set; }

    public DateTimeOffset? LastCheckedAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    public string? EndReason { get; set; }
}
