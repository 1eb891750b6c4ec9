using System.Security.Claims;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Web.Features.Shared;

namespace ReviewPortal.Web.Tests.Features.Shared;

public sealed class RoleLandingTests
{
    private static ClaimsPrincipal With(params string[] roles) =>
        new(new ClaimsIdentity(roles.Select(r => new Claim(ClaimTypes.Role, r)).Prepend(new Claim(ClaimTypes.Name, "someone")), "test"));

    [Theory]
    [InlineData(PortalRoles.Reviewer, "/queue/mine")]
    [InlineData(PortalRoles.SecurityReviewer, "/queue/security")]
    [InlineData(PortalRoles.Manager, "/queue/all")]
    [InlineData(PortalRoles.Admin, "/admin")]
    public void Each_role_lands_where_its_work_is(string role, string landing)
    {
        Assert.Equal(landing, RoleLanding.For(With(role)));
    }

    [Fact]
    public void Several_roles_land_where_the_scarcest_is_needed()
    {
        Assert.Equal("/queue/security", RoleLanding.For(With(PortalRoles.Admin, PortalRoles.Reviewer, PortalRoles.SecurityReviewer)));
        Assert.Equal("/queue/mine", RoleLanding.For(With(PortalRoles.Admin, PortalRoles.Reviewer)));
        Assert.Equal("/queue/all", RoleLanding.For(With()));
    }
}
