using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Domain.Policy;
using ReviewPortal.Domain.Risk;
using ReviewPortal.Web.Features.Shared;
using ReviewPortal.Web.Tests.Features.Queue;

namespace ReviewPortal.Web.Tests.Features.Shared;

/// <summary>
/// The one resource-based handler behind "may see" and "may decide on" a change, through ASP.NET Core's
/// <see cref="IAuthorizationService"/> as pages, endpoints and the decision service call it.
/// </summary>
[Trait("Category", "DecisionIntegrity")]
public sealed class ChangeAuthorizationHandlerTests(QueueFixture fixture) : IClassFixture<QueueFixture>
{
    private async Task<AuthorizationResult> AuthorizeAsync(ClaimsPrincipal user, ChangeResource resource, ChangeOperation operation)
    {
        await using var scope = fixture.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IAuthorizationService>().AuthorizeAsync(user, resource, operation);
    }

    private static ReviewSubject Subject(RiskTier tier) =>
        new(tier, ChangeState.Pending, "open", "orders-agent[bot]", "someone@acme.test", 1, "e05b042aaaaaaaaa", DateTimeOffset.UtcNow, ChangeChecks.None, []);

    [Fact]
    public async Task Seeing_a_tier_4_change_is_for_security_reviewers_and_its_own_client_whatever_the_principal_claims()
    {
        var hidden = await fixture.AddAsync(new(QueueFixture.NewRepository()) { Tier = RiskTier.Critical, SubmittedBy = "payments-agent" });
        var rileyClaimingSecurity = fixture.PrincipalOf(QueueFixture.Riley);
        ((ClaimsIdentity)rileyClaimingSecurity.Identity!).AddClaim(new Claim(ClaimTypes.Role, PortalRoles.SecurityReviewer));

        Assert.False((await AuthorizeAsync(rileyClaimingSecurity, new ChangeResource(hidden.Id), ChangeOperation.View)).Succeeded);
        Assert.True((await AuthorizeAsync(fixture.PrincipalOf(QueueFixture.Sasha), new ChangeResource(hidden.Id), ChangeOperation.View)).Succeeded);
        Assert.True((await AuthorizeAsync(ApiClientPrincipal.For("payments-agent"), new ChangeResource(hidden.Id), ChangeOperation.View)).Succeeded);
        var other = await AuthorizeAsync(ApiClientPrincipal.For("other-agent"), new ChangeResource(hidden.Id), ChangeOperation.View);
        Assert.False(other.Succeeded);
        Assert.Equal(ChangeAccess.NotFoundMessage, other.Reason());
    }

    [Fact]
    public async Task Deciding_is_seeing_plus_the_tier_policy_and_the_refusal_says_why()
    {
        var low = await fixture.AddAsync(new(QueueFixture.NewRepository()) { Tier = RiskTier.Medium });
        var critical = await fixture.AddAsync(new(QueueFixture.NewRepository()) { Tier = RiskTier.Critical });

        Assert.True((await AuthorizeAsync(fixture.PrincipalOf(QueueFixture.Riley), new ChangeResource(low.Id, Subject(RiskTier.Medium)), ChangeOperation.Decide(DecisionKind.Approve))).Succeeded);
        var manager = await AuthorizeAsync(fixture.PrincipalOf(QueueFixture.Morgan), new ChangeResource(low.Id, Subject(RiskTier.Medium)), ChangeOperation.Decide(DecisionKind.Approve));
        Assert.False(manager.Succeeded);
        Assert.Equal("Only reviewers and security reviewers decide on changes.", manager.Reason());
        // A change the person may not see is not theirs to decide, and the refusal names no tier.
        var hidden = await AuthorizeAsync(fixture.PrincipalOf(QueueFixture.Riley), new ChangeResource(critical.Id, Subject(RiskTier.Critical)), ChangeOperation.Decide(DecisionKind.Approve));
        Assert.Equal(ChangeAccess.NotFoundMessage, hidden.Reason());
        // A machine never decides.
        var client = await AuthorizeAsync(ApiClientPrincipal.For("api"), new ChangeResource(low.Id, Subject(RiskTier.Medium)), ChangeOperation.Decide(DecisionKind.Approve));
        Assert.False(client.Succeeded);
    }

    [Fact]
    public async Task A_confirmed_decision_gets_the_full_check_including_its_comment()
    {
        var change = await fixture.AddAsync(new(QueueFixture.NewRepository()) { Tier = RiskTier.Medium });
        var resource = new ChangeResource(change.Id, Subject(RiskTier.Medium), Comment: new DecisionComment(" "));

        var rejection = await AuthorizeAsync(fixture.PrincipalOf(QueueFixture.Riley), resource, ChangeOperation.Decide(DecisionKind.Reject));

        Assert.Equal("A rejection needs a reason.", rejection.Reason());
        Assert.True((await AuthorizeAsync(fixture.PrincipalOf(QueueFixture.Riley), resource with { Comment = null }, ChangeOperation.Decide(DecisionKind.Reject))).Succeeded);
    }
}
