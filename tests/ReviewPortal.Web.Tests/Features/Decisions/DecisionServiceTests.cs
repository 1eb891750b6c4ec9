using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ReviewPortal.Domain.Changes;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Domain.Policy;
using ReviewPortal.Testing;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Features.Decisions;
using ReviewPortal.Web.Features.Shared;

namespace ReviewPortal.Web.Tests.Features.Decisions;

public sealed class DecisionServiceTests(QuietPortalFixture fixture) : IClassFixture<QuietPortalFixture>
{
    private readonly DecisionTestKit _kit = new(fixture.Factory);

    private DecisionService Decisions => fixture.Factory.Services.GetRequiredService<DecisionService>();

    /// <summary>A decision on <paramref name="on"/>, by default on the head as it is now (what a reviewer opening the change sees).</summary>
    private async Task<DecisionOutcome> DecideAsync(long id, string who, DecisionKind kind, string? comment = null, DecisionTarget? on = null) =>
        await Decisions.DecideAsync(id, await _kit.PrincipalAsync(who), on ?? await fixture.Factory.Services.HeadOfAsync(id), kind, comment);

    [Fact]
    public async Task An_approval_is_recorded_with_the_reviewer_identity_roles_revision_and_time()
    {
        var change = await _kit.Tier2Async();
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);

        var outcome = await DecideAsync(change.Id, DemoLogin.Reviewer, DecisionKind.Approve, "Looks right.");

        Assert.True(outcome.Succeeded, outcome.Message);
        Assert.Equal("You approved revision 1. The change is approved.", outcome.Message);
        var stored = await _kit.ReadAsync(change.Id);
        Assert.Equal((ChangeState.Approved, "Riley Reviewer"), (stored.State, stored.DecidedBy));
        var decision = Assert.Single(stored.Decisions);
        Assert.Equal((DecisionKind.Approve, "Riley Reviewer", DemoLogin.Reviewer, "Looks right.", 1, false), (decision.Kind, decision.ReviewerName, decision.ReviewerEmail, decision.Reason, decision.RevisionNumber, decision.IsAutomatic));
        Assert.Equal([PortalRoles.Reviewer], decision.ReviewerRoles);
        Assert.InRange(decision.DecidedAt, before, DateTimeOffset.UtcNow.AddSeconds(1));
    }

    [Fact]
    public async Task The_prompter_cannot_approve_and_nothing_is_recorded()
    {
        var change = await _kit.Tier2Async(prompter: DemoLogin.Dana);

        var outcome = await DecideAsync(change.Id, DemoLogin.Dana, DecisionKind.Approve);

        Assert.False(outcome.Succeeded);
        Assert.Equal("You prompted this change, so you cannot approve it.", outcome.Message);
        var stored = await _kit.ReadAsync(change.Id);
        Assert.Equal(ChangeState.Pending, stored.State);
        Assert.Empty(stored.Decisions);
    }

    [Fact]
    public async Task A_rejection_needs_a_reason_and_keeps_it()
    {
        var change = await _kit.Tier2Async();

        Assert.Equal("A rejection needs a reason.", (await DecideAsync(change.Id, DemoLogin.SecondReviewer, DecisionKind.Reject, "  ")).Message);
        var outcome = await DecideAsync(change.Id, DemoLogin.SecondReviewer, DecisionKind.Reject, "Logs secrets at info level.");

        Assert.True(outcome.Succeeded, outcome.Message);
        var stored = await _kit.ReadAsync(change.Id);
        Assert.Equal((ChangeState.Rejected, "Sam Okafor"), (stored.State, stored.DecidedBy));
        Assert.Equal("Logs secrets at info level.", Assert.Single(stored.Decisions).Reason);
    }

    [Fact]
    public async Task A_request_for_changes_needs_a_comment_and_sends_the_change_back()
    {
        var change = await _kit.Tier2Async();

        Assert.False((await DecideAsync(change.Id, DemoLogin.Reviewer, DecisionKind.RequestChanges)).Succeeded);
        var outcome = await DecideAsync(change.Id, DemoLogin.Reviewer, DecisionKind.RequestChanges, "Add a test for the empty list.");

        Assert.Equal("You requested changes on revision 1.", outcome.Message);
        var stored = await _kit.ReadAsync(change.Id);
        Assert.Equal(ChangeState.ChangesRequested, stored.State);
        var decision = Assert.Single(stored.Decisions);
        Assert.Equal((DecisionKind.RequestChanges, "Add a test for the empty list."), (decision.Kind, decision.Reason));
        Assert.Equal("Riley Reviewer requested changes on revision 1; a new commit reopens it.", (await DecideAsync(change.Id, DemoLogin.SecondReviewer, DecisionKind.Approve)).Message);
    }

    [Fact]
    public async Task A_manager_cannot_decide()
    {
        var change = await _kit.Tier2Async();

        var outcome = await DecideAsync(change.Id, DemoLogin.Manager, DecisionKind.Approve);

        Assert.Equal("Only reviewers and security reviewers decide on changes.", outcome.Message);
        Assert.Equal(ChangeState.Pending, (await _kit.ReadAsync(change.Id)).State);
    }

    [Fact]
    public async Task Roles_are_read_from_the_database_not_from_the_signed_in_identity()
    {
        var change = await _kit.Tier2Async();
        await using (var scope = fixture.Factory.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            var created = await users.CreateAsync(new PortalUser { UserName = "former@acme.test", Email = "former@acme.test", DisplayName = "Former Reviewer" }, "Former-Passw0rd!");
            Assert.True(created.Succeeded);
        }

        // The circuit's identity still says "Reviewer" (signed in hours ago); the account has no such role any more.
        var outcome = await Decisions.DecideAsync(change.Id, await _kit.PrincipalAsync("former@acme.test", PortalRoles.Reviewer, PortalRoles.SecurityReviewer), new DecisionTarget(1, null), DecisionKind.Approve, null);

        Assert.False(outcome.Succeeded);
        Assert.Equal("Only reviewers and security reviewers decide on changes.", outcome.Message);
        Assert.Empty((await _kit.ReadAsync(change.Id)).Decisions);
    }

    [Fact]
    public async Task A_decision_on_an_older_revision_is_refused_with_the_changes_since_to_review()
    {
        var change = await _kit.Tier2Async();
        await _kit.PushAsync(change.Id, "b2c3d4e5f6a7b8c9");

        var outcome = await DecideAsync(change.Id, DemoLogin.Reviewer, DecisionKind.Approve, on: new DecisionTarget(1, null));

        Assert.False(outcome.Succeeded);
        Assert.Equal("Commit b2c3d4e arrived while you were confirming revision 1: review the changes since, then decide.", outcome.Message);
        Assert.Equal((2, 1), (outcome.HeadRevision, outcome.ChangesSinceRevision));
        Assert.True((await DecideAsync(change.Id, DemoLogin.Reviewer, DecisionKind.Approve, on: new DecisionTarget(2, "b2c3d4e5f6a7b8c9"))).Succeeded);
        Assert.Equal("b2c3d4e5f6a7b8c9", Assert.Single((await _kit.ReadAsync(change.Id)).Decisions).CommitSha);
    }

    [Theory]
    [Trait("Category", "DecisionIntegrity")]
    [InlineData(DecisionKind.Approve)]
    [InlineData(DecisionKind.Reject)]
    [InlineData(DecisionKind.RequestChanges)]
    public async Task A_hidden_change_answers_a_decision_as_a_missing_one_and_nothing_is_recorded(DecisionKind kind)
    {
        var hidden = await _kit.Tier4Async();
        var on = await fixture.Factory.Services.HeadOfAsync(hidden.Id);

        var refused = await DecideAsync(hidden.Id, DemoLogin.Reviewer, kind, "Not for me to judge.", on);
        var missing = await DecideAsync(long.MaxValue, DemoLogin.Reviewer, kind, "Not for me to judge.", on);

        Assert.Equal(missing, refused);
        Assert.Equal(DecisionOutcome.Fail(ChangeAccess.NotFoundMessage), refused);
        var stored = await _kit.ReadAsync(hidden.Id);
        Assert.Equal(ChangeState.Pending, stored.State);
        Assert.Empty(stored.Decisions);
    }

    [Fact]
    public async Task Tier_4_is_approved_only_by_two_distinct_security_reviewers()
    {
        var change = await _kit.Tier4Async();
        Assert.Equal(Domain.Risk.RiskTier.Critical, change.Tier);

        Assert.Equal(ChangeAccess.NotFoundMessage, (await DecideAsync(change.Id, DemoLogin.Reviewer, DecisionKind.Approve)).Message);
        var first = await DecideAsync(change.Id, DemoLogin.SecurityReviewer, DecisionKind.Approve);
        Assert.Equal("You approved revision 1. Still needed: 1 more security reviewer approval on revision 1.", first.Message);
        Assert.Equal(ChangeState.Pending, (await _kit.ReadAsync(change.Id)).State);
        Assert.Equal("You already approved revision 1; tier 4 needs 2 different security reviewers to approve it.", (await DecideAsync(change.Id, DemoLogin.SecurityReviewer, DecisionKind.Approve)).Message);

        var second = await DecideAsync(change.Id, DemoLogin.SecondSecurityReviewer, DecisionKind.Approve);

        Assert.Equal("You approved revision 1. The change is approved.", second.Message);
        var stored = await _kit.ReadAsync(change.Id);
        Assert.Equal((ChangeState.Approved, "Kim Laurent"), (stored.State, stored.DecidedBy));
        Assert.All(stored.Decisions, d => Assert.Equal([PortalRoles.SecurityReviewer], d.ReviewerRoles));
    }

    [Fact]
    public async Task Tier_4_without_a_rollback_plan_cannot_be_approved_yet_but_can_be_sent_back()
    {
        var change = await _kit.Tier4Async(withRollback: false);

        var outcome = await DecideAsync(change.Id, DemoLogin.SecurityReviewer, DecisionKind.Approve);

        Assert.Equal("Tier 4 needs a rollback plan with blast radius before it can be approved; ask the author to attach it.", outcome.Message);
        Assert.True((await DecideAsync(change.Id, DemoLogin.SecurityReviewer, DecisionKind.RequestChanges, "Attach the rollback plan.")).Succeeded);
    }

    [Fact]
    public async Task Every_decision_writes_the_change_row_so_xmin_guards_it_even_when_the_state_stays()
    {
        var change = await _kit.Tier4Async();
        var before = await _kit.RowVersionAsync(change.Id);

        Assert.True((await DecideAsync(change.Id, DemoLogin.SecurityReviewer, DecisionKind.Approve)).Succeeded);

        Assert.Equal(ChangeState.Pending, (await _kit.ReadAsync(change.Id)).State);
        Assert.NotEqual(before, await _kit.RowVersionAsync(change.Id));
    }

    [Fact]
    public async Task A_new_push_reopens_a_rejected_change_and_makes_earlier_approvals_stale()
    {
        var rejected = await _kit.Tier2Async();
        var approved = await _kit.Tier2Async();
        Assert.True((await DecideAsync(rejected.Id, DemoLogin.Reviewer, DecisionKind.Reject, "Wrong join.")).Succeeded);
        Assert.True((await DecideAsync(approved.Id, DemoLogin.Reviewer, DecisionKind.Approve)).Succeeded);

        await _kit.PushAsync(rejected.Id, "c0ffee0000000001");
        await _kit.PushAsync(approved.Id, "c0ffee0000000002");

        var reopened = await _kit.ReadAsync(rejected.Id);
        Assert.Equal((ChangeState.Pending, null, 2), (reopened.State, reopened.DecidedBy, reopened.RevisionCount));
        Assert.Contains(reopened.Events, e => e.Kind == ChangeEventKind.Reopened && e.Detail.Contains("the previous head was rejected by Riley Reviewer", StringComparison.Ordinal));
        var stale = await _kit.ReadAsync(approved.Id);
        Assert.Equal(ChangeState.Pending, stale.State);
        Assert.Contains(stale.Events, e => e.Kind == ChangeEventKind.Reopened && e.Detail.Contains("1 earlier approval no longer counts", StringComparison.Ordinal));
        // Still on record, no longer counting: the same reviewer approves the new head afresh.
        Assert.Equal(1, Assert.Single(stale.Decisions).RevisionNumber);
        Assert.Equal("You approved c0ffee0. The change is approved.", (await DecideAsync(approved.Id, DemoLogin.Reviewer, DecisionKind.Approve)).Message);
    }

    [Fact]
    public async Task Two_security_approvals_racing_each_other_both_count()
    {
        var change = await _kit.Tier4Async();
        var kim = await _kit.PrincipalAsync(DemoLogin.SecondSecurityReviewer);
        var gate = new SaveGate();

        // Kim reads the change and decides while it has no approval yet; Sasha's approval commits before Kim's write.
        var late = _kit.GatedDecisions(gate).DecideAsync(change.Id, kim, new DecisionTarget(1, null), DecisionKind.Approve, null);
        await gate.ReachedAsync(late);
        var early = await DecideAsync(change.Id, DemoLogin.SecurityReviewer, DecisionKind.Approve);
        gate.Release();

        Assert.Equal("You approved revision 1. Still needed: 1 more security reviewer approval on revision 1.", early.Message);
        // Kim's write met a changed xmin: the change was read again, the policy checked again, and her approval recorded.
        Assert.Equal("You approved revision 1. The change is approved.", (await late).Message);
        var stored = await _kit.ReadAsync(change.Id);
        Assert.Equal(ChangeState.Approved, stored.State);
        Assert.Equal(["Sasha Ivanova", "Kim Laurent"], stored.Decisions.Select(d => d.ReviewerName));
    }

    [Fact]
    public async Task An_approval_racing_a_new_push_loses_and_is_told_to_review_the_changes_since()
    {
        var change = await _kit.Tier2Async();
        var gate = new SaveGate();

        var approval = _kit.GatedDecisions(gate).DecideAsync(change.Id, await _kit.PrincipalAsync(DemoLogin.Reviewer), new DecisionTarget(1, null), DecisionKind.Approve, null);
        await gate.ReachedAsync(approval);
        await _kit.PushAsync(change.Id, "d00d000000000002");
        gate.Release();

        var outcome = await approval;
        Assert.False(outcome.Succeeded);
        Assert.Equal("Commit d00d000 arrived while you were confirming revision 1: review the changes since, then decide.", outcome.Message);
        Assert.Equal((2, 1), (outcome.HeadRevision, outcome.ChangesSinceRevision));
        var stored = await _kit.ReadAsync(change.Id);
        Assert.Equal((ChangeState.Pending, 2), (stored.State, stored.RevisionCount));
        Assert.Empty(stored.Decisions);
    }

    [Fact]
    public async Task A_push_racing_an_approval_that_committed_first_fails_for_ingestion_to_retry_and_then_leaves_the_approval_stale()
    {
        var change = await _kit.Tier2Async();
        var gate = new SaveGate();

        var push = _kit.PushAsync(change.Id, "d00d000000000003", gate);
        await gate.ReachedAsync(push);
        Assert.True((await DecideAsync(change.Id, DemoLogin.Reviewer, DecisionKind.Approve)).Succeeded);
        gate.Release();

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => push);
        Assert.Equal((ChangeState.Approved, 1), ((await _kit.ReadAsync(change.Id)).State, (await _kit.ReadAsync(change.Id)).RevisionCount));
        await _kit.PushAsync(change.Id, "d00d000000000003");

        var stored = await _kit.ReadAsync(change.Id);
        Assert.Equal((ChangeState.Pending, 2), (stored.State, stored.RevisionCount));
        Assert.Equal(1, Assert.Single(stored.Decisions).RevisionNumber);
    }

    [Fact]
    public async Task An_approval_racing_a_rejection_resolves_to_the_rejection_and_the_approver_is_told_why()
    {
        var change = await _kit.Tier2Async();
        var gate = new SaveGate();

        var approval = _kit.GatedDecisions(gate).DecideAsync(change.Id, await _kit.PrincipalAsync(DemoLogin.Reviewer), new DecisionTarget(1, null), DecisionKind.Approve, null);
        await gate.ReachedAsync(approval);
        Assert.True((await DecideAsync(change.Id, DemoLogin.SecondReviewer, DecisionKind.Reject, "The join drops invoices without a customer.")).Succeeded);
        gate.Release();

        var outcome = await approval;
        Assert.False(outcome.Succeeded);
        Assert.Equal("Sam Okafor rejected this change while you were approving, so your approval was not recorded; a new commit reopens it.", outcome.Message);
        var stored = await _kit.ReadAsync(change.Id);
        Assert.Equal(ChangeState.Rejected, stored.State);
        Assert.Equal(DecisionKind.Reject, Assert.Single(stored.Decisions).Kind);
    }

    [Fact]
    public async Task A_rejection_racing_an_approval_that_completed_the_policy_is_told_the_change_is_approved()
    {
        var change = await _kit.Tier2Async();
        var gate = new SaveGate();

        var rejection = _kit.GatedDecisions(gate).DecideAsync(change.Id, await _kit.PrincipalAsync(DemoLogin.SecondReviewer), new DecisionTarget(1, null), DecisionKind.Reject, "No.");
        await gate.ReachedAsync(rejection);
        Assert.True((await DecideAsync(change.Id, DemoLogin.Reviewer, DecisionKind.Approve)).Succeeded);
        gate.Release();

        Assert.Equal("Riley Reviewer approved this change while you were rejecting, so your rejection was not recorded; a new commit reopens it.", (await rejection).Message);
        var stored = await _kit.ReadAsync(change.Id);
        Assert.Equal((ChangeState.Approved, DecisionKind.Approve), (stored.State, Assert.Single(stored.Decisions).Kind));
    }
}
