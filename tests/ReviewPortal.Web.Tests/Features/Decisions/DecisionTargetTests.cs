using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Domain.Policy;
using ReviewPortal.Testing;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Features.Decisions;

namespace ReviewPortal.Web.Tests.Features.Decisions;

/// <summary>A decision is recorded on exactly the commit the reviewer confirmed, and its message tells what is true afterwards.</summary>
[Trait("Category", "DecisionIntegrity")]
public sealed class DecisionTargetTests(QuietPortalFixture fixture) : IClassFixture<QuietPortalFixture>
{
    private const string CommitA = "e05b042aaaaaaaaa";
    private const string CommitB = "343b7b8bbbbbbbbb";
    private static readonly DecisionTarget OnA = new(2, CommitA);

    private readonly DecisionTestKit _kit = new(fixture.Factory);

    private DecisionService Decisions => fixture.Factory.Services.GetRequiredService<DecisionService>();

    private ReviewPolicyOptions Policy => fixture.Factory.Services.GetRequiredService<IOptionsMonitor<ReviewPolicyOptions>>().CurrentValue;

    private static string CommentFor(DecisionKind kind) => kind == DecisionKind.Approve ? "" : "The join drops invoices without a customer.";

    /// <summary>A tier-2 change whose head is commit A (revision 2), as on the reviewer's screen.</summary>
    private async Task<Change> OnCommitAAsync()
    {
        var change = await _kit.Tier2Async();
        await _kit.PushAsync(change.Id, CommitA);
        return change;
    }

    [Theory]
    [InlineData(DecisionKind.Approve)]
    [InlineData(DecisionKind.Reject)]
    [InlineData(DecisionKind.RequestChanges)]
    public async Task A_decision_confirmed_on_commit_A_after_B_landed_records_nothing_and_says_B_arrived(DecisionKind kind)
    {
        var change = await OnCommitAAsync();
        await _kit.PushAsync(change.Id, CommitB);

        var outcome = await Decisions.DecideAsync(change.Id, await _kit.PrincipalAsync(DemoLogin.Reviewer), OnA, kind, CommentFor(kind));

        Assert.False(outcome.Succeeded);
        Assert.Equal("Commit 343b7b8 arrived while you were confirming e05b042: review the changes since, then decide.", outcome.Message);
        Assert.Equal((3, 2), (outcome.HeadRevision, outcome.ChangesSinceRevision));
        var stored = await _kit.ReadAsync(change.Id);
        Assert.Equal((ChangeState.Pending, 3), (stored.State, stored.RevisionCount));
        Assert.Empty(stored.Decisions);
    }

    [Theory]
    [InlineData(DecisionKind.Approve)]
    [InlineData(DecisionKind.Reject)]
    [InlineData(DecisionKind.RequestChanges)]
    public async Task A_push_committing_between_the_check_and_the_save_ends_in_a_refusal_naming_the_new_commit(DecisionKind kind)
    {
        var change = await OnCommitAAsync();
        var gate = new SaveGate();

        // The decision has read the change (A is the head, the check passes) and waits to write; B commits meanwhile.
        var decision = _kit.GatedDecisions(gate).DecideAsync(change.Id, await _kit.PrincipalAsync(DemoLogin.Reviewer), OnA, kind, CommentFor(kind));
        await gate.ReachedAsync(decision);
        await _kit.PushAsync(change.Id, CommitB);
        gate.Release();

        var outcome = await decision;
        Assert.False(outcome.Succeeded);
        Assert.Equal("Commit 343b7b8 arrived while you were confirming e05b042: review the changes since, then decide.", outcome.Message);
        Assert.Equal(2, outcome.ChangesSinceRevision);
        var stored = await _kit.ReadAsync(change.Id);
        Assert.Equal((ChangeState.Pending, CommitB), (stored.State, stored.HeadSha));
        Assert.Empty(stored.Decisions);
    }

    [Fact]
    public async Task The_decision_is_recorded_on_the_confirmed_commit_and_the_change_stays_pending_until_B_is_approved()
    {
        var change = await OnCommitAAsync();
        await _kit.PushAsync(change.Id, CommitB);
        var reviewer = await _kit.PrincipalAsync(DemoLogin.Reviewer);
        Assert.False((await Decisions.DecideAsync(change.Id, reviewer, OnA, DecisionKind.Approve, null)).Succeeded);

        var approved = await Decisions.DecideAsync(change.Id, reviewer, new DecisionTarget(3, CommitB), DecisionKind.Approve, null);

        Assert.Equal("You approved 343b7b8. The change is approved.", approved.Message);
        var stored = await _kit.ReadAsync(change.Id);
        Assert.Equal(ChangeState.Approved, stored.State);
        Assert.Equal((3, CommitB), (Assert.Single(stored.Decisions).RevisionNumber, stored.Decisions[0].CommitSha));
    }

    [Fact]
    public async Task A_change_refuses_to_record_a_decision_on_a_commit_that_is_not_its_head()
    {
        var change = await OnCommitAAsync();
        await _kit.PushAsync(change.Id, CommitB);
        var stored = await _kit.ReadAsync(change.Id);

        var error = Assert.Throws<InvalidOperationException>(() => stored.Record(
            new Decision { ChangeId = change.Id, Kind = DecisionKind.Approve, ReviewerId = "u", ReviewerName = "Riley Reviewer", RevisionNumber = 2, CommitSha = CommitA }, ChangeState.Approved));

        Assert.Contains("its head is revision 3", error.Message, StringComparison.Ordinal);
        Assert.Equal(ChangeState.Pending, stored.State);
        Assert.Empty(stored.Decisions);
    }

    [Fact]
    public async Task A_first_approval_message_turns_into_already_approved_once_someone_else_completes_the_policy()
    {
        var change = await _kit.Tier4Async();
        var first = await Decisions.DecideAsync(change.Id, await _kit.PrincipalAsync(DemoLogin.SecurityReviewer), await fixture.Factory.Services.HeadOfAsync(change.Id), DecisionKind.Approve, null);
        Assert.Equal("You approved revision 1. Still needed: 1 more security reviewer approval on revision 1.", first.Message);
        Assert.True((await Decisions.DecideAsync(change.Id, await _kit.PrincipalAsync(DemoLogin.SecondSecurityReviewer), await fixture.Factory.Services.HeadOfAsync(change.Id), DecisionKind.Approve, null)).Succeeded);

        var now = DecisionService.AsOf(first, PolicySubjects.From(await _kit.ReadAsync(change.Id)), Policy);

        Assert.Equal(("You approved revision 1. The change is approved.", ChangeState.Approved), (now.Message, now.State));
    }

    [Fact]
    public async Task An_approval_message_never_says_approved_once_a_push_has_made_the_change_pending_again()
    {
        var change = await OnCommitAAsync();
        var approved = await Decisions.DecideAsync(change.Id, await _kit.PrincipalAsync(DemoLogin.Reviewer), OnA, DecisionKind.Approve, null);
        Assert.Equal("You approved e05b042. The change is approved.", approved.Message);
        await _kit.PushAsync(change.Id, CommitB);

        var now = DecisionService.AsOf(approved, PolicySubjects.From(await _kit.ReadAsync(change.Id)), Policy);

        Assert.Equal("You approved e05b042. Since then commit 343b7b8 arrived: review the changes since, then decide.", now.Message);
        Assert.Equal((ChangeState.Pending, 3, 2), (now.State, now.HeadRevision, now.ChangesSinceRevision));
        Assert.Equal(now.Message, DecisionService.AsOf(now, PolicySubjects.From(await _kit.ReadAsync(change.Id)), Policy).Message);
    }
}
