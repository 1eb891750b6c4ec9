using FsCheck;
using FsCheck.Fluent;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Domain.Policy;
using ReviewPortal.Domain.Provenance;
using ReviewPortal.Domain.Risk;
using static ReviewPortal.Domain.Tests.Policy.PolicyExamples;
using ReviewPortal.Domain.People;

namespace ReviewPortal.Domain.Tests.Policy;

/// <summary>Properties of the tier policy that must hold whatever decisions a change has, in whatever order.</summary>
public sealed class ReviewPolicyProperties
{
    // The prompter and the author hold reviewer roles too: only who they are keeps their approvals out.
    private static readonly Reviewer[] People =
    [
        Reviewer("riley@acme.test"),
        Reviewer("sam@acme.test"),
        Person("dana@acme.test", PortalRoles.Reviewer, PortalRoles.SecurityReviewer),
        Person("payments-agent[bot]", PortalRoles.Reviewer, PortalRoles.SecurityReviewer),
        Security("sasha@acme.test"),
        Security("kim@acme.test"),
        new("id-sasha-second-account", "sasha.i", "sasha@acme.test", new HashSet<string>([PortalRoles.SecurityReviewer], StringComparer.Ordinal)),
        Person("both@acme.test", PortalRoles.Reviewer, PortalRoles.SecurityReviewer),
        Person("morgan@acme.test", PortalRoles.Manager),
    ];

    private static readonly ChangeChecks[] Checks =
    [
        Passing,
        Passing with { Rollback = null },
        Passing with { Rollback = new RollbackPlan("Revert.") },
        ChangeChecks.None,
    ];

    private static Gen<RecordedDecision> Decisions(Gen<Reviewer> people) =>
        from person in people
        from kind in Gen.Frequency((6, Gen.Constant(DecisionKind.Approve)), (1, Gen.Constant(DecisionKind.Reject)), (1, Gen.Constant(DecisionKind.RequestChanges)))
        from onHead in Gen.Frequency((3, Gen.Constant(true)), (1, Gen.Constant(false)))
        from reset in Gen.Frequency((5, Gen.Constant(false)), (1, Gen.Constant(true)))
        from minute in Gen.Choose(0, 120)
        select Decision(kind, person, onHead ? 2 : 1, onHead ? Head : Earlier, minute) with { IsReset = reset };

    private static Gen<ReviewSubject> Subjects(Gen<RiskTier> tiers) =>
        from tier in tiers
        from checks in Gen.Elements(Checks)
        from decisions in Gen.ListOf(Decisions(Gen.Elements(People)))
        // Decisions other than approvals would end the review of the head; here they are the history of earlier heads.
        select Change(tier, checks, [.. decisions.Where(d => d.Kind == DecisionKind.Approve || d.RevisionNumber == 1)]);

    private static Gen<RiskTier> AnyTier => Gen.Elements(Enum.GetValues<RiskTier>());

    /// <summary>An approval that must never count: by the author or prompter, on an earlier commit, reset, or by someone who may not decide.</summary>
    private static Gen<RecordedDecision> WorthlessApprovals =>
        Gen.OneOf(
            Decisions(Gen.Elements(People[2], People[3])).Select(d => d with { Kind = DecisionKind.Approve }),
            Decisions(Gen.Elements(People)).Select(d => d with { Kind = DecisionKind.Approve, RevisionNumber = 1, CommitSha = Earlier }),
            Decisions(Gen.Elements(People)).Select(d => d with { Kind = DecisionKind.Approve, IsReset = true }),
            Decisions(Gen.Constant(People[8])).Select(d => d with { Kind = DecisionKind.Approve }));

    private static bool SameStatus(ApprovalStatus a, ApprovalStatus b) => a.IsSatisfied == b.IsSatisfied && a.Needs.SequenceEqual(b.Needs);

    [Fact]
    public void Approvals_by_the_author_or_prompter_on_an_older_commit_or_reset_never_count() =>
        Prop.ForAll(Subjects(AnyTier).ToArbitrary(), Gen.ListOf(WorthlessApprovals).ToArbitrary(), (subject, worthless) =>
        {
            var with = subject with { Decisions = [.. subject.Decisions, .. worthless] };
            return SameStatus(ReviewPolicy.Evaluate(Defaults, with), ReviewPolicy.Evaluate(Defaults, subject));
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Tier_4_is_never_satisfied_without_two_distinct_security_reviewers_on_the_head() =>
        Prop.ForAll(Subjects(Gen.Constant(RiskTier.Critical)).ToArbitrary(), subject =>
        {
            var status = ReviewPolicy.Evaluate(Defaults, subject);
            var securityApprovers = subject.Decisions
                .Where(d => d is { Kind: DecisionKind.Approve, IsReset: false, IsAutomatic: false } && subject.IsOnHead(d)
                            && d.Roles.Contains(PortalRoles.SecurityReviewer) && d.DeciderEmail is not "dana@acme.test" and not "payments-agent[bot]")
                .Select(d => d.DeciderEmail)
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .Count();
            return !status.IsSatisfied || (securityApprovers >= 2 && subject.Checks.Rollback?.BlastRadius is not null);
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Two_distinct_security_reviewers_satisfy_tier_4_whatever_the_order_or_the_duplicates() =>
        Prop.ForAll(Subjects(Gen.Constant(RiskTier.Critical)).ToArbitrary(), Gen.Shuffle(new[] { Security("sasha@acme.test"), Security("kim@acme.test"), Security("sasha@acme.test") }).ToArbitrary(), (subject, approvers) =>
        {
            var approvals = approvers.Select((person, i) => Approval(person, minute: i)).ToList();
            var with = subject with { Checks = Passing, Decisions = [.. subject.Decisions, .. approvals] };
            return ReviewPolicy.Evaluate(Defaults, with).IsSatisfied;
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Adding_a_valid_approval_never_makes_a_satisfied_change_unsatisfied() =>
        Prop.ForAll(Subjects(AnyTier).ToArbitrary(), Decisions(Gen.Elements(People)).ToArbitrary(), (subject, extra) =>
        {
            var approval = extra with { Kind = DecisionKind.Approve, RevisionNumber = subject.HeadRevision, CommitSha = subject.HeadCommit, IsReset = false };
            var before = ReviewPolicy.Evaluate(Defaults, subject);
            var after = ReviewPolicy.Evaluate(Defaults, subject with { Decisions = [.. subject.Decisions, approval] });
            return !before.IsSatisfied || after.IsSatisfied;
        }).QuickCheckThrowOnFailure();

    [Fact]
    [Trait("Category", "DecisionIntegrity")]
    public void No_decision_is_allowed_on_anything_but_the_head_whoever_decides_and_whatever_they_confirmed() =>
        Prop.ForAll(Subjects(AnyTier).ToArbitrary(), Gen.Elements(People).ToArbitrary(), Attempts.ToArbitrary(), (subject, person, attempt) =>
            !ReviewPolicy.Check(Defaults, subject, person, attempt.Kind, attempt.Target, "why").Allowed
            || (attempt.Target.Revision == subject.HeadRevision && attempt.Target.Commit == subject.HeadCommit))
            .QuickCheckThrowOnFailure();

    private static Gen<(DecisionKind Kind, DecisionTarget Target)> Attempts =>
        from kind in Gen.Elements(Enum.GetValues<DecisionKind>())
        from revision in Gen.Choose(-1, 4)
        from commit in Gen.Elements<string?>(null, Head, Earlier, "343b7b80000")
        select (kind, new DecisionTarget(revision, commit));

    [Fact]
    public void The_order_of_the_decisions_never_matters() =>
        Prop.ForAll(Subjects(AnyTier).ToArbitrary(), subject =>
        {
            var reversed = subject with { Decisions = [.. subject.Decisions.Reverse()] };
            return SameStatus(ReviewPolicy.Evaluate(Defaults, subject), ReviewPolicy.Evaluate(Defaults, reversed));
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Whoever_may_approve_is_in_a_group_the_change_needs_neither_wrote_nor_prompted_it_and_has_not_approved_it_yet() =>
        Prop.ForAll(Subjects(AnyTier).ToArbitrary(), Gen.Elements(People).ToArbitrary(), (subject, person) =>
        {
            var check = ReviewPolicy.MayDecide(Defaults, subject, person, DecisionKind.Approve, subject.Head);
            return !check.Allowed
                   || (QuorumGroups.Membership(person.Groups).Overlaps(ReviewPolicy.Seats(Defaults, subject).Select(s => s.Group))
                       && person.Email is not "dana@acme.test" and not "payments-agent[bot]"
                       && !subject.Decisions.Any(d => d is { Kind: DecisionKind.Approve, IsReset: false } && subject.IsOnHead(d) && d.DeciderId == person.UserId));
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void An_approval_that_is_allowed_counts_towards_the_policy() =>
        Prop.ForAll(Subjects(AnyTier).ToArbitrary(), Gen.Elements(People).ToArbitrary(), (subject, person) =>
        {
            if (!ReviewPolicy.MayDecide(Defaults, subject, person, DecisionKind.Approve, subject.Head).Allowed)
            {
                return true;
            }

            var approval = Approval(person, minute: 200);
            var before = ReviewPolicy.Evaluate(Defaults, subject).CountedApprovals.Count;
            var after = ReviewPolicy.Evaluate(Defaults, subject with { Decisions = [.. subject.Decisions, approval] }).CountedApprovals.Count;
            // The one exception: a second account of someone who already approved is still one person.
            return after == before + 1 || subject.Decisions.Any(d => subject.IsOnHead(d) && !d.IsReset && d.DeciderEmail == person.Email);
        }).QuickCheckThrowOnFailure();
}
