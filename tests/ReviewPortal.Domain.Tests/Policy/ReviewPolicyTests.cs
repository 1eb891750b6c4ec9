using ReviewPortal.Domain.Decisions;
using ReviewPortal.Domain.Policy;
using ReviewPortal.Domain.Provenance;
using ReviewPortal.Domain.Risk;
using static ReviewPortal.Domain.Tests.Policy.PolicyExamples;
using ReviewPortal.Domain.People;

namespace ReviewPortal.Domain.Tests.Policy;

public sealed class ReviewPolicyTests
{
    private static DecisionCheck May(ReviewSubject subject, Reviewer decider, DecisionKind kind = DecisionKind.Approve, DecisionTarget? confirmed = null, string? comment = "why") =>
        ReviewPolicy.Check(Defaults, subject, decider, kind, confirmed ?? subject.Head, comment);

    [Fact]
    public void A_reviewer_may_approve_a_pending_tier_2_change() =>
        Assert.True(May(Change(RiskTier.Medium), Reviewer()).Allowed);

    [Theory]
    [InlineData(PortalRoles.Manager)]
    [InlineData(PortalRoles.Admin)]
    public void Managers_and_admins_cannot_decide(string role)
    {
        var check = May(Change(RiskTier.Medium), Person("m@acme.test", role), DecisionKind.Reject, comment: "no");

        Assert.False(check.Allowed);
        Assert.Equal("Only reviewers and security reviewers decide on changes.", check.Reason);
    }

    [Theory]
    [InlineData("dana@acme.test")]
    [InlineData("DANA@ACME.TEST")]
    [InlineData(" dana@acme.test")]
    public void The_prompter_cannot_approve(string who) =>
        Assert.Equal("You prompted this change, so you cannot approve it.", May(Change(RiskTier.Medium), Reviewer(who.Trim())).Reason);

    [Fact]
    public void The_author_cannot_approve() =>
        Assert.Equal("You are the author of this change, so you cannot approve it.", May(Change(RiskTier.Medium), Reviewer("payments-agent[bot]")).Reason);

    [Fact]
    public void The_prompter_may_still_reject_or_send_back_their_own_change()
    {
        Assert.True(May(Change(RiskTier.Medium), Reviewer("dana@acme.test"), DecisionKind.Reject, comment: "wrong approach").Allowed);
        Assert.True(May(Change(RiskTier.Medium), Reviewer("dana@acme.test"), DecisionKind.RequestChanges, comment: "add a test").Allowed);
    }

    [Theory]
    [InlineData(DecisionKind.Reject, null, "A rejection needs a reason.")]
    [InlineData(DecisionKind.Reject, "  ", "A rejection needs a reason.")]
    [InlineData(DecisionKind.RequestChanges, "", "A request for changes needs a comment saying what to change.")]
    public void Rejecting_and_requesting_changes_need_a_comment(DecisionKind kind, string? comment, string reason) =>
        Assert.Equal(reason, May(Change(RiskTier.Medium), Reviewer(), kind, comment: comment).Reason);

    [Fact]
    public void An_approval_needs_no_comment_but_no_comment_may_exceed_the_limit()
    {
        Assert.True(May(Change(RiskTier.Medium), Reviewer(), comment: null).Allowed);
        Assert.False(May(Change(RiskTier.Medium), Reviewer(), DecisionKind.Reject, comment: new string('x', ReviewPolicy.MaxCommentLength + 1)).Allowed);
    }

    [Fact]
    public void Only_security_reviewers_decide_on_tier_4()
    {
        Assert.Equal("Only security reviewers decide on tier-4 changes.", May(Change(RiskTier.Critical), Reviewer(), DecisionKind.Reject).Reason);
        Assert.True(May(Change(RiskTier.Critical), Security()).Allowed);
    }

    [Fact]
    public void Tier_3_cannot_be_approved_before_its_rollback_plan_is_there_but_can_be_rejected()
    {
        var noPlan = Change(RiskTier.High, Passing with { Rollback = null });

        Assert.Equal("Tier 3 needs a rollback plan before it can be approved; ask the author to attach it.", May(noPlan, Reviewer()).Reason);
        Assert.True(May(noPlan, Reviewer(), DecisionKind.Reject, comment: "no way back").Allowed);
        Assert.True(May(Change(RiskTier.High, Passing with { Rollback = new RollbackPlan("Revert.") }), Reviewer()).Allowed);
    }

    [Fact]
    public void Tier_4_needs_the_blast_radius_of_its_rollback_plan() =>
        Assert.Equal("Tier 4 needs the blast radius of the rollback plan before it can be approved; ask the author to attach it.",
            May(Change(RiskTier.Critical, Passing with { Rollback = new RollbackPlan("Revert.", " ") }), Security()).Reason);

    [Fact]
    public void Looking_at_an_older_revision_offers_no_decision_and_points_at_the_changes_since()
    {
        var check = ReviewPolicy.MayDecide(Defaults, Change(RiskTier.Medium), Reviewer(), DecisionKind.Approve, new DecisionTarget(1, "0dd0000aaaa"));

        Assert.False(check.Allowed);
        Assert.Equal("Revision 2 (abc1234) is the head now, and you are looking at revision 1. Review the changes since revision 1, then decide.", check.Reason);
        Assert.Equal("Revision 7 does not exist; the head is revision 2 (abc1234).", May(Change(RiskTier.Medium), Reviewer(), confirmed: new DecisionTarget(7, null)).Reason);
    }

    [Theory]
    [Trait("Category", "DecisionIntegrity")]
    [InlineData(DecisionKind.Approve)]
    [InlineData(DecisionKind.Reject)]
    [InlineData(DecisionKind.RequestChanges)]
    public void A_decision_confirmed_on_a_commit_that_is_no_longer_the_head_is_refused_naming_the_one_that_arrived(DecisionKind kind)
    {
        var check = May(Change(RiskTier.Medium), Reviewer(), kind, new DecisionTarget(1, "e05b0420000"));

        Assert.False(check.Allowed);
        Assert.Equal("Commit abc1234 arrived while you were confirming e05b042: review the changes since, then decide.", check.Reason);
    }

    [Theory]
    [Trait("Category", "DecisionIntegrity")]
    [InlineData(DecisionKind.Approve)]
    [InlineData(DecisionKind.Reject)]
    public void A_decision_naming_the_head_revision_with_another_commit_is_refused(DecisionKind kind)
    {
        var check = May(Change(RiskTier.Medium), Reviewer(), kind, new DecisionTarget(2, "343b7b80000"));

        Assert.False(check.Allowed);
        Assert.Equal("Commit abc1234 arrived while you were confirming 343b7b8: review the changes since, then decide.", check.Reason);
        Assert.True(May(Change(RiskTier.Medium), Reviewer(), kind, new DecisionTarget(2, Head.ToUpperInvariant())).Allowed);
    }


    [Fact]
    public void A_rejected_or_sent_back_head_stays_so_until_a_new_commit()
    {
        var sam = Reviewer("sam@acme.test");
        var rejected = Change(RiskTier.Medium, null, Decision(DecisionKind.Reject, sam)) with { State = ChangeState.Rejected };
        var sentBack = Change(RiskTier.Medium, null, Decision(DecisionKind.RequestChanges, sam)) with { State = ChangeState.ChangesRequested };

        Assert.Equal("Sam@acme.test rejected this change on abc1234; a new commit reopens it.", May(rejected, Reviewer()).Reason);
        Assert.Equal("Sam@acme.test requested changes on abc1234; a new commit reopens it.", May(sentBack, Reviewer(), DecisionKind.Reject).Reason);
    }

    [Fact]
    public void A_change_approved_by_people_is_final_for_its_head_commit()
    {
        var approved = Change(RiskTier.Medium, null, Approval(Reviewer("sam@acme.test"))) with { State = ChangeState.Approved };

        Assert.Equal("This change is already approved by sam@acme.test on abc1234; a new commit reopens it.", May(approved, Reviewer(), DecisionKind.Reject).Reason);
    }

    [Fact]
    public void Any_reviewer_can_veto_an_automatic_approval_but_not_approve_it_again()
    {
        var automatic = Approval(Person("reviewportal", [])) with { IsAutomatic = true };
        var approved = Change(RiskTier.Low, null, automatic) with { State = ChangeState.Approved };

        Assert.True(May(approved, Reviewer(), DecisionKind.Reject).Allowed);
        Assert.True(May(approved, Reviewer("dana@acme.test"), DecisionKind.RequestChanges).Allowed);
        Assert.Contains("approved automatically", May(approved, Reviewer()).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_person_cannot_approve_twice()
    {
        var sasha = Security();

        Assert.Equal("You already approved abc1234; tier 4 needs 2 different security reviewers to approve it.",
            May(Change(RiskTier.Critical, null, Approval(sasha)), sasha).Reason);
    }

    [Theory]
    [InlineData("merged")]
    [InlineData("closed")]
    public void Nothing_is_decided_on_a_merged_or_closed_change(string scmState) =>
        Assert.Equal($"This change is {scmState} in source control; there is nothing left to decide.",
            May(Change(RiskTier.Medium) with { ScmState = scmState }, Reviewer(), DecisionKind.Reject).Reason);

    [Fact]
    public void Tier_2_needs_one_reviewer_approval_on_the_head()
    {
        var status = ReviewPolicy.Evaluate(Defaults, Change(RiskTier.Medium));

        Assert.False(status.IsSatisfied);
        Assert.Equal([new PolicyNeed(PolicyNeedKind.Approvals, "1 reviewer approval on abc1234", QuorumGroups.AnyReviewer, 1)], status.Needs);
        Assert.True(ReviewPolicy.Evaluate(Defaults, Change(RiskTier.Medium, null, Approval(Reviewer()))).IsSatisfied);
    }

    [Fact]
    public void Tier_4_with_one_security_approval_needs_one_more()
    {
        var status = ReviewPolicy.Evaluate(Defaults, Change(RiskTier.Critical, null, Approval(Security())));

        Assert.False(status.IsSatisfied);
        Assert.Equal("1 more security reviewer approval on abc1234", Assert.Single(status.Needs).Description);
        Assert.True(ReviewPolicy.Evaluate(Defaults, Change(RiskTier.Critical, null, Approval(Security()), Approval(Security("kim@acme.test")))).IsSatisfied);
    }

    [Fact]
    public void Tier_4_does_not_count_a_plain_reviewer_or_the_same_person_twice()
    {
        var sasha = Security();
        var sashaAgain = new Reviewer("id-other-account", "sasha.i", sasha.Email, sasha.Roles);

        Assert.False(ReviewPolicy.Evaluate(Defaults, Change(RiskTier.Critical, null, Approval(sasha), Approval(Person("both@acme.test", PortalRoles.Reviewer)))).IsSatisfied);
        Assert.False(ReviewPolicy.Evaluate(Defaults, Change(RiskTier.Critical, null, Approval(sasha), Approval(sasha, minute: 3))).IsSatisfied);
        Assert.False(ReviewPolicy.Evaluate(Defaults, Change(RiskTier.Critical, null, Approval(sasha), Approval(sashaAgain))).IsSatisfied);
    }

    [Fact]
    public void Tier_4_without_a_rollback_plan_needs_one_with_blast_radius_besides_the_approvals()
    {
        var status = ReviewPolicy.Evaluate(Defaults, Change(RiskTier.Critical, Passing with { Rollback = null }));

        Assert.Equal(["2 security reviewer approvals on abc1234", "a rollback plan with blast radius"], status.Needs.Select(n => n.Description));
    }

    [Fact]
    public void An_approval_on_an_earlier_commit_is_stale_and_the_policy_needs_a_fresh_one()
    {
        var riley = Reviewer();
        var stale = Approval(riley, revision: 1, commit: Earlier);

        var status = ReviewPolicy.Evaluate(Defaults, Change(RiskTier.Medium, null, stale));

        Assert.False(status.IsSatisfied);
        Assert.Equal([stale], status.StaleApprovals);
        Assert.Empty(status.CountedApprovals);
        Assert.Equal("1 reviewer approval on abc1234", Assert.Single(status.Needs).Description);
        Assert.True(May(Change(RiskTier.Medium, null, stale), riley).Allowed);
    }

    [Fact]
    public void A_reset_approval_and_one_by_a_person_later_named_prompter_do_not_count()
    {
        var reset = Approval(Reviewer()) with { IsReset = true };
        var byPrompter = Approval(Reviewer("dana@acme.test"));

        Assert.False(ReviewPolicy.Evaluate(Defaults, Change(RiskTier.Medium, null, reset)).IsSatisfied);
        Assert.False(ReviewPolicy.Evaluate(Defaults, Change(RiskTier.Medium, null, byPrompter)).IsSatisfied);
    }

    [Fact]
    [Trait("Category", "DecisionIntegrity")]
    public void An_approval_by_the_prompter_named_by_user_name_does_not_count_and_the_same_rule_refuses_the_decision()
    {
        var riley = new Reviewer("id-riley", "riley", "riley@acme.test", new HashSet<string>(StringComparer.Ordinal) { PortalRoles.Reviewer });
        var approval = Approval(riley) with { DeciderName = "Riley Chen", DeciderUserName = "riley" };
        var change = Change(RiskTier.Medium, null, approval) with { Prompter = " Riley " };

        var status = ReviewPolicy.Evaluate(Defaults, change);

        Assert.Empty(status.CountedApprovals);
        Assert.False(status.IsSatisfied);
        Assert.Equal((OwnRole.Prompter, OwnRole.Prompter), (change.RoleOf(riley), change.RoleOf(approval)));
        Assert.Equal("You prompted this change, so you cannot approve it.", May(change with { Decisions = [] }, riley).Reason);
    }

    [Fact]
    public void A_rejected_change_needs_a_new_commit()
    {
        var rejected = Change(RiskTier.Low, null, Decision(DecisionKind.Reject, Reviewer("sam@acme.test"))) with { State = ChangeState.Rejected };

        var status = ReviewPolicy.Evaluate(Defaults, rejected);

        Assert.False(status.IsSatisfied);
        Assert.Equal(new PolicyNeed(PolicyNeedKind.NewCommit, "a new commit: sam@acme.test rejected abc1234"), Assert.Single(status.Needs));
    }

    [Fact]
    public void An_automatic_approval_satisfies_tier_1_only()
    {
        var automatic = Approval(Person("reviewportal", [])) with { IsAutomatic = true };

        Assert.True(ReviewPolicy.Evaluate(Defaults, Change(RiskTier.Low, null, automatic)).IsSatisfied);
        Assert.False(ReviewPolicy.Evaluate(Defaults, Change(RiskTier.Medium, null, automatic)).IsSatisfied);
    }

    [Fact]
    public void Each_approval_moves_the_state_only_once_the_policy_is_satisfied()
    {
        var first = Approval(Security());
        var second = Approval(Security("kim@acme.test"), minute: 1);

        Assert.Equal(ChangeState.Pending, ReviewPolicy.StateAfter(Defaults, Change(RiskTier.Critical), first));
        Assert.Equal(ChangeState.Approved, ReviewPolicy.StateAfter(Defaults, Change(RiskTier.Critical, null, first), second));
        Assert.Equal(ChangeState.Rejected, ReviewPolicy.StateAfter(Defaults, Change(RiskTier.Critical, null, first), Decision(DecisionKind.Reject, Security("kim@acme.test"))));
        Assert.Equal(ChangeState.ChangesRequested, ReviewPolicy.StateAfter(Defaults, Change(RiskTier.Low), Decision(DecisionKind.RequestChanges, Reviewer())));
    }

    [Fact]
    public void A_configured_tier_needs_what_its_configuration_says()
    {
        var options = new ReviewPolicyOptions { Tier2 = new TierRequirement { Approvals = 2, RollbackPlanRequired = true } };

        var status = ReviewPolicy.Evaluate(options, Change(RiskTier.Medium, Passing with { Rollback = null }, Approval(Reviewer())));

        Assert.Equal(["1 more reviewer approval on abc1234", "a rollback plan"], status.Needs.Select(n => n.Description));
    }
}
