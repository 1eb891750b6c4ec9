using ReviewPortal.Domain.Decisions;
using ReviewPortal.Domain.Policy;
using ReviewPortal.Domain.Provenance;
using ReviewPortal.Domain.Risk;
using static ReviewPortal.Domain.Tests.Policy.PolicyExamples;

namespace ReviewPortal.Domain.Tests.Policy;

public sealed class AutomaticApprovalTests
{
    private static readonly DateTimeOffset AfterTheWait = Arrived.AddHours(1);

    private static AutomaticApprovalVerdict Verdict(ReviewSubject subject, DateTimeOffset? now = null, ReviewPolicyOptions? options = null) =>
        ReviewPolicy.EvaluateAutomaticApproval(options ?? Defaults, subject, now ?? AfterTheWait);

    [Fact]
    public void A_tier_1_change_whose_checks_pass_is_eligible_once_the_hour_has_passed_and_the_rule_names_its_facts()
    {
        var verdict = Verdict(Change(RiskTier.Low));

        Assert.True(verdict.IsEligible);
        Assert.Empty(verdict.Unmet);
        Assert.Equal(
            "automatic-approval (tier 1): 212 tests passed, none failed; no security finding above low (1 low); coverage 84% (at least 80%); policy score 92 (at least 80); revision 2 (abc1234) arrived 2026-11-20 10:00 UTC, and the 1 h wait ended 2026-11-20 11:00 UTC.",
            verdict.Rule);
    }

    [Fact]
    public void Before_the_wait_period_ends_it_says_until_when()
    {
        var verdict = Verdict(Change(RiskTier.Low), Arrived.AddMinutes(59));

        Assert.False(verdict.IsEligible);
        Assert.Equal(Arrived.AddHours(1), verdict.WaitEndsAt);
        Assert.Equal(["the wait period runs until 2026-11-20 11:00 UTC (1 h after revision 2 arrived)"], verdict.Unmet);
    }

    [Fact]
    public void Every_failing_check_is_named()
    {
        var failing = new ChangeChecks(new TestResults(10, 2, 0), 72.5, 60, [new SecurityFinding(FindingSeverity.Medium, "SSRF"), new SecurityFinding(FindingSeverity.High, "SQLi")]);

        var verdict = Verdict(Change(RiskTier.Low, failing));

        Assert.False(verdict.IsEligible);
        Assert.Equal(["2 tests failed", "security findings above low: 1 high, 1 medium", "coverage 72.5% is below 80%", "policy score 60 is below 80"], verdict.Unmet);
    }

    [Fact]
    public void Missing_checks_are_not_passing_checks()
    {
        Assert.Equal(["no test results were reported", "no coverage was reported", "no policy score was reported"], Verdict(Change(RiskTier.Low, ChangeChecks.None)).Unmet);
        Assert.Contains("no tests ran", Verdict(Change(RiskTier.Low, Passing with { Tests = new TestResults(0, 0, 3) })).Unmet);
    }

    [Fact]
    public void Only_a_pending_open_change_is_approved_automatically()
    {
        Assert.Contains("the change is rejected", Verdict(Change(RiskTier.Low) with { State = ChangeState.Rejected }).Unmet);
        Assert.Contains("the change is merged in source control", Verdict(Change(RiskTier.Low) with { ScmState = "merged" }).Unmet);
    }

    [Fact]
    public void Automatic_approval_applies_only_where_it_is_switched_on()
    {
        Assert.False(Verdict(Change(RiskTier.Medium)).Applies);
        Assert.False(Verdict(Change(RiskTier.Low), options: new ReviewPolicyOptions { AutomaticApproval = new AutomaticApprovalOptions { Enabled = false } }).Applies);
    }

    [Fact]
    public void The_thresholds_and_the_wait_come_from_configuration()
    {
        var strict = new ReviewPolicyOptions { AutomaticApproval = new AutomaticApprovalOptions { WaitPeriod = TimeSpan.FromMinutes(90), MinimumCoveragePercent = 90, HighestAllowedFinding = FindingSeverity.Info } };

        var verdict = Verdict(Change(RiskTier.Low), options: strict);

        Assert.Equal(["security findings above info: 1 low", "coverage 84% is below 90%", "the wait period runs until 2026-11-20 11:30 UTC (1 h 30 min after revision 2 arrived)"], verdict.Unmet);
    }

    [Fact]
    public void The_defaults_are_those_of_the_product()
    {
        var options = new ReviewPolicyOptions();

        Assert.Empty(options.Validate());
        Assert.Equal((1, true), (options.Tier1.Approvals, options.Tier1.AutomaticApproval));
        Assert.Equal((1, false, false), (options.Tier2.Approvals, options.Tier2.RollbackPlanRequired, options.Tier2.AutomaticApproval));
        Assert.Equal((1, true, false), (options.Tier3.Approvals, options.Tier3.RollbackPlanRequired, options.Tier3.BlastRadiusRequired));
        Assert.Equal((2, true, true, true), (options.Tier4.Approvals, options.Tier4.SecurityReviewersOnly, options.Tier4.RollbackPlanRequired, options.Tier4.BlastRadiusRequired));
        Assert.Equal((TimeSpan.FromHours(1), 80d, FindingSeverity.Low), (options.AutomaticApproval.WaitPeriod, options.AutomaticApproval.MinimumCoveragePercent, options.AutomaticApproval.HighestAllowedFinding));
    }

    [Fact]
    public void Settings_that_would_weaken_the_policy_are_refused()
    {
        var options = new ReviewPolicyOptions
        {
            Tier2 = new TierRequirement { Approvals = 0 },
            Tier4 = new TierRequirement { Approvals = 2, SecurityReviewersOnly = true, AutomaticApproval = true, BlastRadiusRequired = true },
            AutomaticApproval = new AutomaticApprovalOptions { WaitPeriod = TimeSpan.FromMinutes(-5) },
        };

        Assert.Equal(
        [
            "Review:Policy:Tier2:Approvals must be between 1 and 10 (it is 0).",
            "Review:Policy:Tier4:BlastRadiusRequired needs Review:Policy:Tier4:RollbackPlanRequired: the blast radius is part of the rollback plan.",
            "Review:Policy:Tier4:AutomaticApproval cannot be on: critical changes need two security reviewers.",
            "Review:Policy:AutomaticApproval:WaitPeriod cannot be negative.",
        ], options.Validate());
    }
}
