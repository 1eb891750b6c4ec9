namespace ReviewPortal.Demo;

/// <summary><c>Demo</c> as the demo host reads it: the demo accounts' password, where the demo git repository lives, and the development identity provider's port.</summary>
public sealed class DemoDataSettings
{
    public const string Section = "Demo";

    /// <summary>Empty means <see cref="DemoSeeder.DefaultDemoPassword"/>.</summary>
    public string? Password { get; set; }

    /// <summary>Empty means the repository's <c>.local/demo-repo</c>; an existing repository there is reused.</summary>
    public string? GitRepositoryPath { get; set; }

    /// <summary>The development identity provider's port; its issuer is <c>http://127.0.0.1:{port}</c>.</summary>
    public int IdentityProviderPort { get; set; } = 5081;
}
