using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Domain.Policy;
using ReviewPortal.Testing;
using ReviewPortal.Web.Features.Decisions;

namespace ReviewPortal.Web.Tests.Features.Decisions;

/// <summary>The portal with the demo data, whose own automatic approval job ran at start-up and then waits an hour: the tests drive it.</summary>
public sealed class AutomaticApprovalFixture : IAsyncLifetime
{
    public PortalFactory Factory { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        Factory = await PortalFactory.CreateAsync("autoapproval", seedDemo: true, new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["Review:Policy:AutomaticApproval:CheckInterval"] = "01:00:00",
        });
        _ = Factory.Services;
    }

    public async Task DisposeAsync() => await Factory.DisposeAsync();
}

public sealed class AutomaticApprovalTests(AutomaticApprovalFixture fixture) : IClassFixture<AutomaticApprovalFixture>
{
    private readonly DecisionTestKit _kit = new(fixture.Factory);

    private AutomaticApprover Approver => fixture.Factory.Services.GetRequiredService<AutomaticApprover>();

    private DecisionService Decisions => fixture.Factory.Services.GetRequiredService<DecisionService>();

    private async Task<long> EligibleAsync(string title = "Document the retry header")
    {
        var change = await _kit.Tier1WithPassingChecksAsync(title);
        Assert.Equal(Domain.Risk.RiskTier.Low, change.Tier);
        await _kit.AgeHeadAsync(change.Id, TimeSpan.FromHours(2));
        return change.Id;
    }

    [Fact]
    public async Task A_tier_1_change_whose_checks_pass_is_approved_once_the_wait_is_over_and_the_rule_is_recorded()
    {
        var id = await EligibleAsync();

        Assert.True(await Approver.TryApproveAsync(id));

        var change = await _kit.ReadAsync(id);
        Assert.Equal((ChangeState.Approved, AutomaticApprover.ReviewerName), (change.State, change.DecidedBy));
        var decision = Assert.Single(change.Decisions);
        Assert.Equal((true, AutomaticApprover.ReviewerId, AutomaticApprover.ReviewerName, 1), (decision.IsAutomatic, decision.ReviewerId, decision.ReviewerName, decision.RevisionNumber));
        Assert.StartsWith("automatic-approval (tier 1): 120 tests passed, none failed; no security findings; coverage 91% (at least 80%); policy score 95 (at least 80); revision 1 arrived", decision.PolicyRule, StringComparison.Ordinal);
        Assert.False(await Approver.TryApproveAsync(id));
        Assert.Single((await _kit.ReadAsync(id)).Decisions);
    }

    [Fact]
    public async Task Nothing_is_approved_before_the_wait_period_ends_or_when_a_check_fails()
    {
        var fresh = await _kit.Tier1WithPassingChecksAsync();
        await _kit.AgeHeadAsync(fresh.Id, TimeSpan.FromMinutes(30));
        var failing = await _kit.SubmitAsync("Tidy the changelog", [new Web.Features.Ingest.SubmittedFile("docs/changelog.md", "a\n", "b\n")],
            tests: new Web.Features.Ingest.SubmittedTests(50, 2, 0), coverage: 90, policyScore: 95);
        await _kit.AgeHeadAsync(failing.Id, TimeSpan.FromHours(2));
        var lowScore = await _kit.SubmitAsync("Tidy the glossary", [new Web.Features.Ingest.SubmittedFile("docs/glossary.md", "a\n", "b\n")],
            tests: new Web.Features.Ingest.SubmittedTests(50, 0, 0), coverage: 90, policyScore: 60);
        await _kit.AgeHeadAsync(lowScore.Id, TimeSpan.FromHours(2));

        Assert.False(await Approver.TryApproveAsync(fresh.Id));
        Assert.False(await Approver.TryApproveAsync(failing.Id));
        Assert.False(await Approver.TryApproveAsync(lowScore.Id));

        foreach (var id in new[] { fresh.Id, failing.Id, lowScore.Id })
        {
            var change = await _kit.ReadAsync(id);
            Assert.Equal(ChangeState.Pending, change.State);
            Assert.Empty(change.Decisions);
        }
    }

    [Fact]
    public async Task A_sweep_approves_the_eligible_changes_and_leaves_the_others()
    {
        var eligible = await EligibleAsync("Document the signature header");
        var waiting = await _kit.Tier1WithPassingChecksAsync("Document the timeout");
        var tier2 = await _kit.SubmitAsync("Speed up the statement query", [new Web.Features.Ingest.SubmittedFile("src/Statements/Query.cs", "var q = \"SELECT 1\";\n", "var q = \"SELECT 2\";\n")],
            tests: new Web.Features.Ingest.SubmittedTests(50, 0, 0), coverage: 90, policyScore: 95);
        Assert.Equal(Domain.Risk.RiskTier.Medium, tier2.Tier);
        await _kit.AgeHeadAsync(tier2.Id, TimeSpan.FromHours(2));

        Assert.True(await Approver.ApproveEligibleAsync() >= 1);

        Assert.Equal(ChangeState.Approved, (await _kit.ReadAsync(eligible)).State);
        Assert.Equal(ChangeState.Pending, (await _kit.ReadAsync(waiting.Id)).State);
        Assert.Equal(ChangeState.Pending, (await _kit.ReadAsync(tier2.Id)).State);
    }

    [Fact]
    public async Task Any_reviewer_can_veto_an_automatic_approval_and_the_veto_moves_the_state()
    {
        var rejected = await EligibleAsync("Document the retry limit");
        var sentBack = await EligibleAsync("Document the backoff");
        Assert.True(await Approver.TryApproveAsync(rejected));
        Assert.True(await Approver.TryApproveAsync(sentBack));

        var veto = await Decisions.DecideAsync(rejected, await _kit.PrincipalAsync(DemoLogin.SecondReviewer), await fixture.Factory.Services.HeadOfAsync(rejected), DecisionKind.Reject, "The limit is 8, not 10.");
        var requested = await Decisions.DecideAsync(sentBack, await _kit.PrincipalAsync(DemoLogin.Reviewer), await fixture.Factory.Services.HeadOfAsync(sentBack), DecisionKind.RequestChanges, "Add the jitter.");

        Assert.Equal("You rejected revision 1, overriding its automatic approval.", veto.Message);
        Assert.Equal("You requested changes on revision 1, overriding its automatic approval.", requested.Message);
        var change = await _kit.ReadAsync(rejected);
        Assert.Equal((ChangeState.Rejected, "Sam Okafor"), (change.State, change.DecidedBy));
        Assert.Equal([DecisionKind.Approve, DecisionKind.Reject], change.Decisions.Select(d => d.Kind));
        Assert.Equal(ChangeState.ChangesRequested, (await _kit.ReadAsync(sentBack)).State);
        Assert.False(await Approver.TryApproveAsync(rejected));
    }

    [Fact]
    public async Task Two_instances_approving_the_same_change_record_one_approval()
    {
        var id = await EligibleAsync("Document the idempotency key");
        var gate = new SaveGate();

        var otherInstance = _kit.GatedApprover(gate).TryApproveAsync(id);
        await gate.ReachedAsync(otherInstance);
        Assert.True(await Approver.TryApproveAsync(id));
        gate.Release();

        Assert.False(await otherInstance);
        Assert.Single((await _kit.ReadAsync(id)).Decisions);
    }

    [Fact]
    public async Task A_rejection_racing_the_automatic_approval_still_vetoes_it()
    {
        var id = await EligibleAsync("Document the webhook IPs");
        var gate = new SaveGate();

        var rejection = _kit.GatedDecisions(gate).DecideAsync(id, await _kit.PrincipalAsync(DemoLogin.SecondReviewer), await fixture.Factory.Services.HeadOfAsync(id), DecisionKind.Reject, "Those IPs are internal.");
        await gate.ReachedAsync(rejection);
        Assert.True(await Approver.TryApproveAsync(id));
        gate.Release();

        Assert.Equal("You rejected revision 1, overriding its automatic approval.", (await rejection).Message);
        var change = await _kit.ReadAsync(id);
        Assert.Equal(ChangeState.Rejected, change.State);
        Assert.Equal([true, false], change.Decisions.Select(d => d.IsAutomatic));
    }

    [Fact]
    public async Task A_reviewer_approving_while_the_portal_approves_is_told_it_was_approved_automatically()
    {
        var id = await EligibleAsync("Document the user agent");
        var gate = new SaveGate();

        var approval = _kit.GatedDecisions(gate).DecideAsync(id, await _kit.PrincipalAsync(DemoLogin.SecondReviewer), await fixture.Factory.Services.HeadOfAsync(id), DecisionKind.Approve, null);
        await gate.ReachedAsync(approval);
        Assert.True(await Approver.TryApproveAsync(id));
        gate.Release();

        Assert.Equal("ReviewPortal (automatic) approved this change while you were approving, so your approval was not recorded; a new commit reopens it.", (await approval).Message);
        Assert.True(Assert.Single((await _kit.ReadAsync(id)).Decisions).IsAutomatic);
    }

    [Fact]
    public async Task A_new_push_reopens_an_automatically_approved_change_and_the_wait_starts_again()
    {
        var id = await EligibleAsync("Document the rate limits");
        Assert.True(await Approver.TryApproveAsync(id));

        await _kit.PushAsync(id, "a11ce00000000001");

        var change = await _kit.ReadAsync(id);
        Assert.Equal(ChangeState.Pending, change.State);
        Assert.False(await Approver.TryApproveAsync(id));
    }
}

public sealed class ReviewPolicyConfigurationTests
{
    [Fact]
    public async Task The_policy_is_bound_from_Review_Policy_and_automatic_approval_can_be_switched_off()
    {
        await using var factory = await PortalFactory.CreateAsync("policyconfig", settings: new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["Review:Policy:AutomaticApproval:Enabled"] = "false",
            ["Review:Policy:AutomaticApproval:WaitPeriod"] = "00:30:00",
            ["Review:Policy:Tier4:Approvals"] = "3",
            ["Review:Policy:Tier2:RollbackPlanRequired"] = "true",
        });
        var options = factory.Services.GetRequiredService<IOptionsMonitor<ReviewPolicyOptions>>().CurrentValue;

        Assert.Equal((3, true, true), (options.Tier4.Approvals, options.Tier4.SecurityReviewersOnly, options.Tier4.BlastRadiusRequired));
        Assert.Equal((true, TimeSpan.FromMinutes(30), false), (options.Tier2.RollbackPlanRequired, options.AutomaticApproval.WaitPeriod, options.AutomaticApproval.Enabled));
        var kit = new DecisionTestKit(factory);
        var change = await kit.Tier1WithPassingChecksAsync();
        await kit.AgeHeadAsync(change.Id, TimeSpan.FromHours(2));
        var approver = factory.Services.GetRequiredService<AutomaticApprover>();
        Assert.Equal(0, await approver.ApproveEligibleAsync());
        Assert.False(await approver.TryApproveAsync(change.Id));
        Assert.Equal(ChangeState.Pending, (await kit.ReadAsync(change.Id)).State);
    }

    [Fact]
    public async Task A_policy_that_would_weaken_review_stops_the_portal_from_starting()
    {
        await using var factory = await PortalFactory.CreateAsync("policyinvalid", settings: new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["Review:Policy:Tier2:Approvals"] = "0",
            ["Review:Policy:Tier4:AutomaticApproval"] = "true",
        });

        var error = Assert.ThrowsAny<OptionsValidationException>(() => factory.Services);

        Assert.Contains("Review:Policy:Tier2:Approvals must be between 1 and 10 (it is 0).", error.Failures);
        Assert.Contains("Review:Policy:Tier4:AutomaticApproval cannot be on: critical changes need two security reviewers.", error.Failures);
    }
}
