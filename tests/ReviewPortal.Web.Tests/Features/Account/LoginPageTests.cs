using ReviewPortal.Testing;

namespace ReviewPortal.Web.Tests.Features.Account;

public sealed class LoginPageTests(PortalFixture demo) : IClassFixture<PortalFixture>
{
    private const string DemoHint = "Demo accounts are listed in the README";

    [Fact]
    public async Task The_demo_host_points_to_the_demo_accounts()
    {
        using var client = demo.Factory.CreateClient();

        var page = await client.GetStringAsync("/Account/Login");

        Assert.Contains(DemoHint, page, StringComparison.Ordinal);
        Assert.Contains("reviewer@demo.local", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_portal_without_the_demo_shows_no_demo_accounts()
    {
        await using var factory = await PortalFactory.CreateAsync("logindemooff");
        using var client = factory.CreateClient();

        var page = await client.GetStringAsync("/Account/Login");

        Assert.Contains("Sign in to ReviewPortal", page, StringComparison.Ordinal);
        Assert.DoesNotContain(DemoHint, page, StringComparison.Ordinal);
    }
}
