using ReviewPortal.Domain.Decisions;
using ReviewPortal.Domain.Policy;
using ReviewPortal.Domain.Risk;
using static ReviewPortal.Domain.Tests.Policy.PolicyExamples;
using ReviewPortal.Domain.People;

namespace ReviewPortal.Domain.Tests.Policy;

/// <summary>Tier policies that name whose approvals they need, per group, and path rules that add to them.</summary>
public sealed class QuorumPolicyTests
{
    private static readonly Reviewer Sasha = Security("sasha@acme.test");
    private static readonly Reviewer Kim = Security("kim@acme.test");
    private static readonly Reviewer Lee = Member("lee@acme.test", [PortalRoles.Reviewer], "legal");
    private static readonly Reviewer Ada = Member("ada@acme.test", [PortalRoles.SecurityReviewer], "legal", "security-reviewers");

    private static DecisionCheck May(ReviewPolicyOptions options, ReviewSubject subject, Reviewer decider, DecisionKind kind = DecisionKind.Approve) =>
        ReviewPolicy.Check(options, subject, decider, kind, subject.Head, "why");

    private static ReviewPolicyOptions ContractsNeedTheBoard() => new()
    {
        PathQuorums = [new PathQuorum { Paths = ["api/contracts/**", "**/*.proto"], Group = "change-advisory-board", Count = 1, Reason = "public API contracts" }],
    };

    [Fact]
    public void A_legal_member_who_is_no_security_reviewer_may_approve_tier_4_while_a_plain_reviewer_may_not_decide_at_all()
    {
        var change = Change(RiskTier.Critical);

        Assert.True(May(SecurityAndLegal(), change, Lee).Allowed);
        var plain = May(SecurityAndLegal(), change, Reviewer(), DecisionKind.Reject);
        Assert.Equal("Only security reviewers and members of legal decide on tier-4 changes.", plain.Reason);
        // The default tier 4 keeps its rule: security reviewers only.
        Assert.Equal("Only security reviewers decide on tier-4 changes.", May(Defaults, change, Lee).Reason);
    }

    [Fact]
    public void Two_security_approvals_do_not_meet_one_security_and_one_legal_and_the_second_is_refused_naming_legal()
    {
        var change = Change(RiskTier.Critical, null, Approval(Sasha));

        var status = ReviewPolicy.Evaluate(SecurityAndLegal(), change with { Decisions = [.. change.Decisions, Approval(Kim, minute: 1)] });

        Assert.False(status.IsSatisfied);
        Assert.Equal([new PolicyNeed(PolicyNeedKind.Approvals, "1 more approval from legal on abc1234", "legal", 1)], status.Needs);
        Assert.Equal("Your approval would not count: abc1234 still needs approvals from members of legal, and you are in none of those groups.",
            May(SecurityAndLegal(), change, Kim).Reason);
        Assert.True(May(SecurityAndLegal(), change, Lee).Allowed);
        Assert.True(ReviewPolicy.Evaluate(SecurityAndLegal(), change with { Decisions = [.. change.Decisions, Approval(Lee, minute: 1)] }).IsSatisfied);
    }

    [Fact]
    public void One_person_in_both_groups_counts_once_and_a_security_reviewer_after_them_completes_the_quorum()
    {
        var adaAlone = Change(RiskTier.Critical, null, Approval(Ada));

        var alone = ReviewPolicy.Evaluate(SecurityAndLegal(), adaAlone);
        var withKim = ReviewPolicy.Evaluate(SecurityAndLegal(), adaAlone with { Decisions = [.. adaAlone.Decisions, Approval(Kim, minute: 1)] });

        Assert.False(alone.IsSatisfied);
        Assert.Equal(1, Assert.Single(alone.Needs).Missing);
        Assert.Equal("You already approved abc1234; tier 4 needs 1 security reviewer and 1 member of legal, each a different person to approve it.",
            May(SecurityAndLegal(), adaAlone, Ada).Reason);
        // Ada fills the security seat when she is alone; Kim can take it over, so Kim's approval counts and Ada moves to legal.
        Assert.True(May(SecurityAndLegal(), adaAlone, Kim).Allowed);
        Assert.True(withKim.IsSatisfied);
        Assert.Equal(["ada@acme.test", "kim@acme.test"], withKim.CountedApprovals.Select(a => a.DeciderEmail));
    }

    [Fact]
    public void A_decision_recorded_before_groups_were_counts_by_its_roles_and_a_provider_group_named_like_a_role_grants_nothing()
    {
        var old = Approval(Ada) with { Groups = null };
        var impostor = Member("eve@acme.test", [PortalRoles.Reviewer], PortalRoles.SecurityReviewer, QuorumGroups.AnyReviewer);

        var oldDefault = ReviewPolicy.Evaluate(Defaults, Change(RiskTier.Critical, null, old, Approval(Kim)));
        var oldQuorum = ReviewPolicy.Evaluate(SecurityAndLegal(), Change(RiskTier.Critical, null, old, Approval(Kim)));

        Assert.True(oldDefault.IsSatisfied);
        Assert.Equal("1 more approval from legal on abc1234", Assert.Single(oldQuorum.Needs).Description);
        Assert.Equal("Only security reviewers decide on tier-4 changes.", May(Defaults, Change(RiskTier.Critical), impostor).Reason);
    }

    [Fact]
    public void A_second_account_on_the_same_email_is_refused_as_the_same_person()
    {
        var sashaAgain = new Reviewer("id-other-account", "sasha.i", Sasha.Email, Sasha.Roles);

        Assert.Equal("Another account with your email already approved abc1234; one person's approval counts once.",
            May(Defaults, Change(RiskTier.Critical, null, Approval(Sasha)), sashaAgain).Reason);
    }

    [Fact]
    public void A_change_touching_a_configured_path_also_needs_the_board_and_others_do_not()
    {
        var options = ContractsNeedTheBoard();
        var board = Member("cab@acme.test", [], "change-advisory-board");
        var contract = Change(RiskTier.Medium) with { Paths = ["api/contracts/orders.yaml", "src/Orders.cs"] };
        var plain = Change(RiskTier.Medium) with { Paths = ["src/Orders.cs"] };

        var reviewed = ReviewPolicy.Evaluate(options, contract with { Decisions = [Approval(Reviewer())] });
        var both = ReviewPolicy.Evaluate(options, contract with { Decisions = [Approval(Reviewer()), Approval(board, minute: 1)] });

        Assert.Equal(["1 more approval from change-advisory-board on abc1234 for public API contracts"], reviewed.Needs.Select(n => n.Description));
        Assert.True(both.IsSatisfied);
        Assert.True(ReviewPolicy.Evaluate(options, plain with { Decisions = [Approval(Reviewer())] }).IsSatisfied);
        Assert.Equal("Only reviewers and security reviewers decide on changes.", May(options, plain, board).Reason);
        Assert.True(May(options, contract with { Decisions = [Approval(Reviewer())] }, board).Allowed);
    }

    [Fact]
    public void A_change_touching_a_configured_path_is_never_approved_automatically()
    {
        var verdict = ReviewPolicy.EvaluateAutomaticApproval(ContractsNeedTheBoard(), Change(RiskTier.Low) with { Paths = ["proto/orders.proto"] }, Arrived.AddHours(1));

        Assert.False(verdict.IsEligible);
        Assert.Equal(["changes to public API contracts need 1 approval from members of change-advisory-board"], verdict.Unmet);
    }

    [Fact]
    public void A_quorum_the_defaults_derive_is_the_one_the_tiers_had()
    {
        var options = new ReviewPolicyOptions();

        Assert.Equal([new QuorumSeats(QuorumGroups.AnyReviewer, 1)], options.Tier2.Seats());
        Assert.Equal([new QuorumSeats(PortalRoles.SecurityReviewer, 2)], options.Tier4.Seats());
        Assert.Empty(SecurityAndLegal().Validate());
    }

    [Fact]
    public void Quorum_settings_that_are_empty_out_of_range_or_would_weaken_tier_4_are_refused()
    {
        var options = new ReviewPolicyOptions();
        options.Tier2.Quorum = [new GroupQuorum { Group = " ", Count = 0 }, new GroupQuorum { Group = "legal", Count = 1 }, new GroupQuorum { Group = "legal", Count = 2 }];
        options.Tier4.Quorum = [new GroupQuorum { Group = "legal", Count = 1 }];
        options.PathQuorums = [new PathQuorum { Paths = [], Group = "cab", Count = 11 }, new PathQuorum { Paths = ["api/{v1,v2}/**"], Group = "cab", Reason = "contracts" }];

        Assert.Equal(
        [
            "Review:Policy:Tier2:Quorum:0:Group must name a group (without surrounding spaces).",
            "Review:Policy:Tier2:Quorum:0:Count must be between 1 and 10 (it is 0).",
            "Review:Policy:Tier2:Quorum names legal more than once; give it one count.",
            "Review:Policy:PathQuorums:0:Count must be between 1 and 10 (it is 11).",
            "Review:Policy:PathQuorums:0:Paths must name at least one path pattern.",
            "Review:Policy:PathQuorums:0:Reason must say what the paths are; reviewers read it next to what the change still needs.",
            "Review:Policy:PathQuorums:1:Paths:0: path pattern 'api/{v1,v2}/**' uses character classes, braces or negation, which are not supported; list each pattern separately.",
            "Review:Policy:Tier4:Quorum must ask for at least 2 approvals in all, at least one of them from SecurityReviewer.",
        ], options.Validate());
    }
}
