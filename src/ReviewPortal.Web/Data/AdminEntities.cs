using ReviewPortal.Domain.ApiClients;

namespace ReviewPortal.Web.Data;

/// <summary>
/// A machine client (an agent, a CI pipeline) of the submission API. Its key is shown once at creation and stored
/// only as a SHA-256 hash; keys are 32 random bytes, so a plain hash cannot be brute-forced. The public prefix
/// finds the row without scanning hashes.
/// </summary>
public sealed class ApiClient
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public required string KeyPrefix { get; set; }
    public required string KeyHash { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }

    /// <summary>What the key may do; each endpoint checks the one scope it needs.</summary>
    public ApiScope Scopes { get; set; }
}

/// <summary>
/// An admin's grant of one registered repository to an API client. A client with grants is limited to those
/// repositories in everything its key does (submit, read, attach, poll), and in them may attach or change the
/// provenance of any change, not only of those it submitted. A client without grants is not limited to repositories.
/// </summary>
public sealed class ApiClientGrant
{
    public long ApiClientId { get; set; }
    public long RepositoryId { get; set; }
    public ScmRepository? Repository { get; set; }
    public DateTimeOffset GrantedAt { get; set; }
    public required string GrantedBy { get; set; }
}

/// <summary>A version of the risk rules, as uploaded; exactly one is active. The version is the rules' content hash.</summary>
public sealed class RiskRuleSetVersion
{
    public long Id { get; set; }
    public required string Version { get; set; }
    public required string Yaml { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
    public bool IsActive { get; set; }
}
