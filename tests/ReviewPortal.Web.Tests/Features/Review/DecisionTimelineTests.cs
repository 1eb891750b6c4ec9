using AngleSharp.Dom;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using ReviewPortal.Domain.Changes;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Domain.Risk;
using ReviewPortal.Testing;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Features.Review;
using static ReviewPortal.Web.Tests.Features.Review.ReviewTestChanges;

namespace ReviewPortal.Web.Tests.Features.Review;

/// <summary>Decisions and change events in time order, with stale and automatic approvals told apart.</summary>
[Trait("Category", "Component")]
public sealed class DecisionTimelineTests : ComponentTest
{
    private INodeList Show(Change change) => Render<DecisionTimeline>(p => p.Add(c => c.Change, change)).Nodes;

    [Fact]
    public void The_timeline_orders_events_and_decisions_and_marks_a_stale_approval_with_a_link_to_the_changes_since()
    {
        var change = NewChange(RiskTier.Medium, revisions: 2);
        change.Decisions.Add(Approval("Riley Reviewer", "riley@demo.local", PortalRoles.Reviewer, revision: 1, sha: "0ld0000aaaa", minutes: 20));

        var document = Show(change);

        var entries = document.QuerySelectorAll("[data-testid=decision-timeline] > li").ToList();
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
        var change = NewChange(RiskTier.Low);
        change.Decisions.Add(Automatic());
        change.Decisions.Add(new Decision
        {
            Id = 100, Kind = DecisionKind.Reject, Reason = "The limit is wrong.", ReviewerId = "id-sam", ReviewerName = "Sam Okafor", ReviewerRoles = [PortalRoles.Reviewer],
            RevisionNumber = 1, CommitSha = Head, DecidedAt = Arrived.AddHours(3),
        });

        var document = Show(change);

        var decisions = document.QuerySelectorAll("[data-testid=timeline-decision]").ToList();
        Assert.StartsWith("Approved automatically by ReviewPortal (automatic)", Text(decisions[0]), StringComparison.Ordinal);
        Assert.Equal("Rule: automatic-approval (tier 1): 10 tests passed", decisions[0].QuerySelector("[data-testid=decision-rule]")?.TextContent);
        Assert.StartsWith("Rejected by Sam Okafor", Text(decisions[1]), StringComparison.Ordinal);
        Assert.Equal("The limit is wrong.", decisions[1].QuerySelector("blockquote")?.TextContent);
        Assert.Empty(document.QuerySelectorAll("[data-testid=decision-stale]"));
    }

    [Fact]
    public void The_timeline_names_an_event_by_its_label_not_by_its_kind()
    {
        var change = NewChange(RiskTier.Medium);
        change.Events.Add(new ChangeEvent { Id = 50, At = Arrived.AddMinutes(10), Kind = ChangeEventKind.AutoAssigned, Detail = "Assigned to Riley Reviewer.", RevisionNumber = 1 });

        var document = Show(change);

        var assigned = document.QuerySelector("[data-testid=timeline-event][data-event-kind=AutoAssigned]")!;
        Assert.Equal("Assigned automatically", assigned.QuerySelector(".event-kind")?.TextContent);
    }
}
