using ReviewPortal.Domain.ApiClients;

namespace ReviewPortal.Web.Features.Ingest;

/// <summary>
/// <c>Ingest</c>: the bootstrap API key, stored hashed as the client <see cref="BootstrapClientName"/> at every start,
/// with the scopes <see cref="ApiKeyScopes"/> (comma-separated scope names; by default what an agent needs).
/// </summary>
public sealed class IngestSettings
{
    public const string Section = "Ingest";

    public const string BootstrapClientName = "configured (Ingest:ApiKey)";

    public string? ApiKey { get; set; }

    public ApiScope ApiKeyScopes { get; set; } = ApiScopes.AgentDefault;
}
