namespace ReviewPortal.Web.Data;

/// <summary><c>Database</c>: whether the portal applies pending migrations when it starts.</summary>
public sealed class DatabaseSettings
{
    public const string Section = "Database";

    public bool MigrateOnStartup { get; set; } = true;
}
