using AngleSharp.Dom;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using ReviewPortal.Domain.Changes;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Domain.Policy;
using ReviewPortal.Domain.Provenance;
using ReviewPortal.Domain.Risk;
using ReviewPortal.Testing;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Features.Review;

namespace ReviewPortal.Web.Tests.Features.Review;

/// <summary>The policy needs and the timeline as they render for a given change.</summary>
[Trait("Category", "Component")]
public sealed class PolicyNeedsAndTimelineTests : ComponentTest
{
    private const string Head = ReviewSamples.Head;
    private static readonly DateTimeOffset Arrived = ReviewSamples.Arrived;

    public PolicyNeedsAndTimelineTests()
    {
        Services.AddOptions<ReviewPolicyOptions>();
        Services.AddSingleton<TimeProvider>(new FixedClock(Arrived.AddMinutes(30)));
    }

    private IRenderedComponent<PolicyNeeds> Needs(Change change) => Render<PolicyNeeds>(p => p.Add(x => x.Change, change));

    private IRenderedComponent<DecisionTimeline> Timeline(Change change) => Render<DecisionTimeline>(p => p.Add(x => x.Change, change));

    [Fact]
    public void Policy_needs_name_the_missing_security_approval_on_the_head_commit_and_who_counted()
    {
        var change = ReviewSamples.NewChange(RiskTier.Critical);
        change.Decisions.Add(ReviewSamples.Approval("Sasha Ivanova", "security@demo.local", PortalRoles.SecurityReviewer));

        var document = Needs(change);

        Assert.Equal("2 approvals by distinct security reviewers and a rollback plan with blast radius", document.Find("[data-testid=policy-requirement]").TextContent);
        Assert.Equal(["1 more security reviewer approval on abc1234"], document.FindAll("[data-testid=policy-needs-list] li").Select(li => li.TextContent));
        Assert.Equal("Counted so far: Sasha Ivanova on abc1234.", document.Find("[data-testid=policy-counted]").TextContent);
        Assert.Equal("false", document.Find("[data-testid=policy-needs]").GetAttribute("data-satisfied"));
    }

    [Fact]
    public void Policy_needs_ask_for_the_rollback_plan_and_say_why_automatic_approval_waits()
    {
        var tier4 = ReviewSamples.NewChange(RiskTier.Critical, provenance: new ProvenanceBundle());
        var tier1 = ReviewSamples.NewChange(RiskTier.Low);

        var needs4 = Needs(tier4).FindAll("[data-testid=policy-needs-list] li").Select(li => li.TextContent).ToList();
        var automatic = Needs(tier1).Find("[data-testid=automatic-approval]").TextContent;

        Assert.Equal(["2 security reviewer approvals on abc1234", "a rollback plan with blast radius"], needs4);
        Assert.Equal("or automatic approval, which waits because policy score 60 is below 80; the wait period runs until 2026-11-20 11:00 UTC (1 h after revision 1 arrived)", automatic);
    }

    [Fact]
    public void Policy_needs_say_when_the_policy_is_satisfied_and_count_stale_approvals()
    {
        var satisfied = ReviewSamples.NewChange(RiskTier.Medium);
        satisfied.Decisions.Add(ReviewSamples.Approval("Riley Reviewer", "riley@demo.local", PortalRoles.Reviewer));
        satisfied.State = ChangeState.Approved;
        var stale = ReviewSamples.NewChange(RiskTier.Medium, revisions: 2);
        stale.Decisions.Add(ReviewSamples.Approval("Riley Reviewer", "riley@demo.local", PortalRoles.Reviewer, revision: 1, sha: "0ld0000"));

        var satisfiedDocument = Needs(satisfied);
        var staleDocument = Needs(stale);

        Assert.Equal("Satisfied: approved by Riley Reviewer on abc1234.", satisfiedDocument.Find("[data-testid=policy-satisfied]").TextContent);
        Assert.Equal("1 earlier approval no longer counts: given on an earlier commit, or reset by a rise in tier.", staleDocument.Find("[data-testid=policy-stale]").TextContent);
        Assert.Equal(["1 reviewer approval on abc1234"], staleDocument.FindAll("[data-testid=policy-needs-list] li").Select(li => li.TextContent));
    }

    [Fact]
    public void The_timeline_orders_events_and_decisions_and_marks_a_stale_approval_with_a_link_to_the_changes_since()
    {
        var change = ReviewSamples.NewChange(RiskTier.Medium, revisions: 2);
        change.Decisions.Add(ReviewSamples.Approval("Riley Reviewer", "riley@demo.local", PortalRoles.Reviewer, revision: 1, sha: "0ld0000aaaa", minutes: 20));

        var document = Timeline(change);

        var entries = document.FindAll("[data-testid=decision-timeline] > li").ToList();
        Assert.Equal(["timeline-event", "timeline-decision", "timeline-event"], entries.Select(e => e.GetAttribute("data-testid")));
        var stale = entries[1];
        Assert.StartsWith("Approved by Riley Reviewer (riley@demo.local, as reviewer) on revision 1 (0ld0000), 2026-11-20 10:20 UTC", Text(stale), StringComparison.Ordinal);
        Assert.Equal("revision 1 (0ld0000)", stale.QuerySelector("[data-testid=decision-revision]")?.TextContent);
        Assert.Contains("the head is now revision 2 (abc1234), so it no longer counts", stale.QuerySelector("[data-testid=decision-stale]")?.TextContent, StringComparison.Ordinal);
        Assert.Equal("/changes/7?revision=2&since=1", stale.QuerySelector("a[data-testid=changes-since-decision]")?.GetAttribute("href"));
        Assert.Equal("2026-11-20T10:20:00.0000000+00:00", stale.QuerySelector("time")?.GetAttribute("datetime"));
    }

    [Fact]
    public void The_timeline_shows_an_automatic_decision_with_its_rule_and_a_veto_after_it()
    {
        var change = ReviewSamples.NewChange(RiskTier.Low);
        change.Decisions.Add(ReviewSamples.Automatic());
        change.Decisions.Add(new Decision
        {
            Id = 100, Kind = DecisionKind.Reject, Reason = "The limit is wrong.", ReviewerId = "id-sam", ReviewerName = "Sam Okafor", ReviewerRoles = [PortalRoles.Reviewer],
            RevisionNumber = 1, CommitSha = Head, DecidedAt = Arrived.AddHours(3),
        });

        var document = Timeline(change);

        var decisions = document.FindAll("[data-testid=timeline-decision]").ToList();
        Assert.StartsWith("Approved automatically by ReviewPortal (automatic)", Text(decisions[0]), StringComparison.Ordinal);
        Assert.Equal("Rule: automatic-approval (tier 1): 10 tests passed", decisions[0].QuerySelector("[data-testid=decision-rule]")?.TextContent);
        Assert.StartsWith("Rejected by Sam Okafor", Text(decisions[1]), StringComparison.Ordinal);
        Assert.Equal("The limit is wrong.", decisions[1].QuerySelector("blockquote")?.TextContent);
        Assert.Empty(document.FindAll("[data-testid=decision-stale]"));
    }

    [Fact]
    public void The_timeline_names_an_event_by_its_label_not_by_its_kind()
    {
        var change = ReviewSamples.NewChange(RiskTier.Medium);
        change.Events.Add(new ChangeEvent { Id = 50, At = Arrived.AddMinutes(10), Kind = ChangeEventKind.AutoAssigned, Detail = "Assigned to Riley Reviewer.", RevisionNumber = 1 });

        var document = Timeline(change);

        var assigned = document.Find("[data-testid=timeline-event][data-event-kind=AutoAssigned]")!;
        Assert.Equal("Assigned automatically", assigned.QuerySelector(".event-kind")?.TextContent);
    }

    /// <summary>The text as a browser shows it: runs of white space are one space.</summary>
    private static string Text(IElement element) => string.Join(' ', element.TextContent.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
