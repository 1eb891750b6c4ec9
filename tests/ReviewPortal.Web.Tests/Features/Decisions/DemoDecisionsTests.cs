using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ReviewPortal.Domain.Changes;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Domain.Policy;
using ReviewPortal.Domain.Risk;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Features.Decisions;

namespace ReviewPortal.Web.Tests.Features.Decisions;

/// <summary>The demo shows the policy at work: four eyes waiting for the second, an automatic approval, a stale approval.</summary>
public sealed class DemoDecisionsTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private async Task<(Change Change, ApprovalStatus Status, AutomaticApprovalVerdict Automatic)> DemoAsync(string branch)
    {
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var change = await db.Changes.AsNoTracking().Include(c => c.Decisions.OrderBy(d => d.DecidedAt)).Include(c => c.Revisions).Include(c => c.Events)
            .AsSplitQuery().SingleAsync(c => c.SourceBranch == branch);
        var options = scope.ServiceProvider.GetRequiredService<IOptionsMonitor<ReviewPolicyOptions>>().CurrentValue;
        var subject = PolicySubjects.From(change);
        return (change, ReviewPolicy.Evaluate(options, subject), ReviewPolicy.EvaluateAutomaticApproval(options, subject, DateTimeOffset.UtcNow));
    }

    [Fact]
    public async Task The_tier_4_key_rotation_has_one_security_approval_and_waits_for_a_second()
    {
        var (change, status, _) = await DemoAsync("agent/jwt-key-rotation");

        Assert.Equal((RiskTier.Critical, ChangeState.Pending), (change.Tier, change.State));
        var approval = Assert.Single(change.Decisions);
        Assert.Equal(("Sasha Ivanova", DecisionKind.Approve), (approval.ReviewerName, approval.Kind));
        Assert.Equal([PortalRoles.SecurityReviewer], approval.ReviewerRoles);
        Assert.Equal($"1 more security reviewer approval on {change.HeadSha![..7]}", Assert.Single(status.Needs).Description);
    }

    [Fact]
    public async Task The_webhook_docs_change_was_approved_automatically_under_the_tier_1_rule()
    {
        var (change, status, _) = await DemoAsync("agent/webhook-retry-docs");

        Assert.Equal((RiskTier.Low, ChangeState.Approved, "ReviewPortal (automatic)"), (change.Tier, change.State, change.DecidedBy));
        var decision = Assert.Single(change.Decisions);
        Assert.True(decision.IsAutomatic);
        Assert.Contains("policy score 96 (at least 80)", decision.PolicyRule, StringComparison.Ordinal);
        Assert.True(status.IsSatisfied);
    }

    [Fact]
    public async Task The_audit_export_approval_was_made_stale_by_a_later_push()
    {
        var (change, status, _) = await DemoAsync("agent/audit-export-paging");

        Assert.Equal((2, ChangeState.Pending), (change.RevisionCount, change.State));
        var stale = Assert.Single(change.Decisions);
        Assert.Equal(("Riley Reviewer", 1), (stale.ReviewerName, stale.RevisionNumber));
        Assert.Equal(stale.DecidedAt, Assert.Single(status.StaleApprovals).DecidedAt);
        Assert.False(status.IsSatisfied);
        Assert.Contains(change.Events, e => e.Kind == ChangeEventKind.Reopened && e.RevisionNumber == 2 && e.Detail.Contains("1 earlier approval no longer counts", StringComparison.Ordinal));
        var revisions = change.Revisions.OrderBy(r => r.Number).ToList();
        Assert.True(revisions[0].CreatedAt < stale.DecidedAt && stale.DecidedAt < revisions[1].CreatedAt, "the approval came between the two pushes");
    }

    [Fact]
    public async Task The_other_demo_changes_wait_for_people_for_reasons_the_page_shows()
    {
        var (formatter, _, formatterAutomatic) = await DemoAsync("agent/money-formatter");
        var (mfa, mfaStatus, _) = await DemoAsync("agent/mfa-for-admins");
        var (index, _, _) = await DemoAsync("agent/invoice-customer-index");

        Assert.Equal(ChangeState.Pending, formatter.State);
        Assert.Contains("policy score 74 is below 80", formatterAutomatic.Unmet);
        Assert.Equal(["2 security reviewer approvals on " + mfa.HeadSha![..7], "a rollback plan with blast radius"], mfaStatus.Needs.Select(n => n.Description));
        Assert.Equal(ChangeState.Rejected, index.State);
    }
}
