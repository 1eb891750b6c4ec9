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
}

/// <summary>
/// An admin's grant to an API client: it may attach or change the provenance of the changes of one registered
/// repository, besides the changes it submitted itself.
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
