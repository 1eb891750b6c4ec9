namespace ReviewPortal.Web.Infrastructure;

/// <summary><c>Demo</c>: whether the demo host seeds its accounts and changes (the sign-in page then points to them).</summary>
public sealed class DemoSettings
{
    public const string Section = "Demo";

    public bool Seed { get; set; }
}
