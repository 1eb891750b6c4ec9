using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Testing;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Features.Decisions;

namespace ReviewPortal.Web.Tests.Features.Decisions;

/// <summary>A portal whose tier 4 needs "one security reviewer and one from legal", and whose tier 2 needs "one reviewer and one from legal".</summary>
public sealed class GroupQuorumFixture : IAsyncLifetime
{
    public PortalFactory Factory { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        Factory = await PortalFactory.CreateAsync("quorums", seedDemo: true, new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["Review:Assignment:Enabled"] = "false",
            ["Review:Policy:AutomaticApproval:Enabled"] = "false",
            ["Review:Policy:Tier4:Quorum:0:Group"] = PortalRoles.SecurityReviewer,
            ["Review:Policy:Tier4:Quorum:0:Count"] = "1",
            ["Review:Policy:Tier4:Quorum:1:Group"] = "legal",
            ["Review:Policy:Tier4:Quorum:1:Count"] = "1",
            ["Review:Policy:Tier2:Quorum:0:Group"] = "AnyReviewer",
            ["Review:Policy:Tier2:Quorum:1:Group"] = "legal",
        });
        _ = Factory.Services;
    }

    public async Task DisposeAsync() => await Factory.DisposeAsync();
}

/// <summary>
/// Approvals from named groups, through the real <see cref="DecisionService"/> on PostgreSQL: the people's provider groups
/// are set on their accounts as sign-in would set them, read at the moment of each decision and stored with it.
/// </summary>
public sealed class GroupQuorumTests(GroupQuorumFixture fixture) : IClassFixture<GroupQuorumFixture>
{
    private readonly DecisionTestKit _kit = new(fixture.Factory);

    private DecisionService Decisions => fixture.Factory.Services.GetRequiredService<DecisionService>();

    private async Task<DecisionOutcome> ApproveAsync(long id, string who) =>
        await Decisions.DecideAsync(id, await _kit.PrincipalAsync(who), await fixture.Factory.Services.HeadOfAsync(id), DecisionKind.Approve, null);

    /// <summary>A new account (the test's own, so tests do not share people) with <paramref name="roles"/> and provider groups.</summary>
    private async Task<string> PersonAsync(string name, string[] roles, params string[] providerGroups)
    {
        var email = $"{name}-{Guid.NewGuid():N}@acme.test";
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = new PortalUser { UserName = email, Email = email, DisplayName = name, ProviderGroups = [.. providerGroups] };
        Assert.True((await users.CreateAsync(user)).Succeeded);
        Assert.True((await users.AddToRolesAsync(user, roles)).Succeeded);
        return email;
    }

    [Fact]
    public async Task Two_security_approvals_do_not_approve_a_tier_4_change_that_needs_one_from_legal()
    {
        var change = await _kit.Tier4Async();
        var first = await PersonAsync("sec-one", [PortalRoles.SecurityReviewer]);
        var second = await PersonAsync("sec-two", [PortalRoles.SecurityReviewer], "security-reviewers");

        var one = await ApproveAsync(change.Id, first);
        var two = await ApproveAsync(change.Id, second);

        Assert.Equal("You approved revision 1. Still needed: 1 more approval from legal on revision 1.", one.Message);
        Assert.False(two.Succeeded);
        Assert.Equal("Your approval would not count: revision 1 still needs approvals from members of legal, and you are in none of those groups.", two.Message);
        var stored = await _kit.ReadAsync(change.Id);
        Assert.Equal(ChangeState.Pending, stored.State);
        Assert.Single(stored.Decisions);
    }

    [Fact]
    public async Task A_security_approval_and_a_legal_approval_approve_it()
    {
        var change = await _kit.Tier4Async();
        var security = await PersonAsync("sec", [PortalRoles.SecurityReviewer]);
        // Tier-4 changes stay visible to security reviewers only, so the legal member who sees it is one.
        var legal = await PersonAsync("counsel", [PortalRoles.SecurityReviewer], "legal");

        Assert.True((await ApproveAsync(change.Id, security)).Succeeded);
        var outcome = await ApproveAsync(change.Id, legal);

        Assert.Equal("You approved revision 1. The change is approved.", outcome.Message);
        var stored = await _kit.ReadAsync(change.Id);
        Assert.Equal(ChangeState.Approved, stored.State);
        Assert.Equal([PortalRoles.SecurityReviewer, "legal"], stored.Decisions.Single(d => d.ReviewerEmail == legal).ReviewerGroups!.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task One_person_in_both_groups_counts_once_and_alone_does_not_approve_it()
    {
        var change = await _kit.Tier4Async();
        var both = await PersonAsync("both", [PortalRoles.SecurityReviewer], "legal");

        var first = await ApproveAsync(change.Id, both);
        var again = await ApproveAsync(change.Id, both);

        Assert.True(first.Succeeded, first.Message);
        Assert.Equal("You approved revision 1. Still needed: 1 more approval from legal on revision 1.", first.Message);
        Assert.Equal("You already approved revision 1; tier 4 needs 1 security reviewer and 1 member of legal, each a different person to approve it.", again.Message);
        Assert.Equal(ChangeState.Pending, (await _kit.ReadAsync(change.Id)).State);
    }

    [Fact]
    public async Task Someone_in_security_and_legal_then_someone_in_security_approve_it_by_the_maximum_matching()
    {
        var change = await _kit.Tier4Async();
        var a = await PersonAsync("a", [PortalRoles.SecurityReviewer], "legal");
        var b = await PersonAsync("b", [PortalRoles.SecurityReviewer]);

        Assert.True((await ApproveAsync(change.Id, a)).Succeeded);
        var outcome = await ApproveAsync(change.Id, b);

        Assert.True(outcome.Succeeded, outcome.Message);
        Assert.Equal(ChangeState.Approved, outcome.State);
        Assert.Equal(ChangeState.Approved, (await _kit.ReadAsync(change.Id)).State);
    }

    [Fact]
    public async Task A_legal_member_without_a_portal_role_completes_a_tier_2_quorum_and_groups_are_read_at_the_decision()
    {
        var change = await _kit.Tier2Async();
        var reviewer = await PersonAsync("rev", [PortalRoles.Reviewer]);
        var counsel = await PersonAsync("counsel", [], "legal");

        Assert.True((await ApproveAsync(change.Id, reviewer)).Succeeded);
        await SetProviderGroupsAsync(counsel);
        var refused = await ApproveAsync(change.Id, counsel);
        await SetProviderGroupsAsync(counsel, "legal");
        var outcome = await ApproveAsync(change.Id, counsel);

        // Once out of legal (as the provider says at the next sign-in), the same person is in no group the tier needs.
        Assert.Equal("Only reviewers and members of legal decide on tier-2 changes.", refused.Message);
        Assert.Equal("You approved revision 1. The change is approved.", outcome.Message);
        Assert.Equal(["legal"], (await _kit.ReadAsync(change.Id)).Decisions.Single(d => d.ReviewerEmail == counsel).ReviewerGroups);
    }

    private async Task SetProviderGroupsAsync(string email, params string[] groups)
    {
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = await users.FindByNameAsync(email) ?? throw new InvalidOperationException(email);
        user.ProviderGroups = [.. groups];
        Assert.True((await users.UpdateAsync(user)).Succeeded);
    }
}
