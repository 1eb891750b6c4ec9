namespace ReviewPortal.Web.Features.Ingest;

/// <summary><c>Ingest</c>: the bootstrap API key, stored hashed as the client <see cref="BootstrapClientName"/> at every start.</summary>
public sealed class IngestSettings
{
    public const string Section = "Ingest";

    public const string BootstrapClientName = "configured (Ingest:ApiKey)";

    public string? ApiKey { get; set; }
}
