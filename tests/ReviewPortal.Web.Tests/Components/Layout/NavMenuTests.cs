using Bunit;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Testing;
using ReviewPortal.Web.Components.Layout;

namespace ReviewPortal.Web.Tests.Components.Layout;

[Trait("Category", "Component")]
public sealed class NavMenuTests : ComponentTest
{
    private string[] LinksFor(params string[] roles)
    {
        SignIn("someone@demo.local", roles);
        var menu = Render<NavMenu>();
        return menu.FindAll("a").Select(a => a.GetAttribute("href") ?? "").ToArray();
    }

    [Fact]
    public void A_reviewer_sees_their_queue_and_all_changes()
    {
        Assert.Equal(["/queue/mine", "/queue/all"], LinksFor(PortalRoles.Reviewer));
    }

    [Fact]
    public void A_security_reviewer_also_sees_the_security_queue()
    {
        Assert.Equal(["/queue/mine", "/queue/security", "/queue/all"], LinksFor(PortalRoles.SecurityReviewer));
    }

    [Fact]
    public void A_manager_sees_all_changes_only()
    {
        Assert.Equal(["/queue/all"], LinksFor(PortalRoles.Manager));
    }

    [Fact]
    public void An_admin_sees_the_admin_pages_and_no_review_queue()
    {
        Assert.Equal(["/queue/all", "/admin", "/admin/repositories", "/admin/risk-rules", "/admin/api-clients", "/admin/webhook-deliveries", "/admin/people", "/admin/security-events"], LinksFor(PortalRoles.Admin));
    }
}
