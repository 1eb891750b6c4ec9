namespace ReviewPortal.Web.Infrastructure.LocalPostgres;

/// <summary><c>LocalPostgres</c>: where the development cluster lives when no connection string is configured.</summary>
public sealed class LocalPostgresSettings
{
    public const string Section = "LocalPostgres";

    /// <summary>The folder holding the cluster; empty means the repository's <c>.local/</c>.</summary>
    public string? Root { get; set; }
}
