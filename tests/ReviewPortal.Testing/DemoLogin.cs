using ReviewPortal.Demo;

namespace ReviewPortal.Testing;

/// <summary>The seeded demo accounts, as tests sign in with them.</summary>
public static class DemoLogin
{
    public const string Password = DemoSeeder.DefaultDemoPassword;
    public const string Reviewer = "reviewer@demo.local";
    public const string SecondReviewer = "reviewer2@demo.local";
    public const string Dana = "dana@demo.local";
    public const string Manager = "manager@demo.local";
    public const string SecurityReviewer = "security@demo.local";
    public const string SecondSecurityReviewer = "security2@demo.local";
    public const string Admin = DemoSeeder.AdminAccount;
}
