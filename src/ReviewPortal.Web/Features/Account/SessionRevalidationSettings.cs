namespace ReviewPortal.Web.Features.Account;

/// <summary>
/// How quickly a signed-in session follows what the portal knows of its person: open pages (each circuit) and the
/// sign-in cookie are checked against the account at this interval, so a role taken away or a session ended by an
/// admin reaches every open page within it.
/// </summary>
public sealed class SessionRevalidationSettings
{
    public const string Section = "Authentication:Revalidation";

    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);

    public bool IsValid() => Interval >= TimeSpan.FromSeconds(1) && Interval <= TimeSpan.FromMinutes(30);
}
