using Microsoft.AspNetCore.Components;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Domain.Policy;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Features.Decisions;

namespace ReviewPortal.Web.Features.Review;

/// <summary>
/// Decisions and change events in time order: who decided what, when, on which revision and commit; automatic
/// decisions with the rule that allowed them; approvals a later push made stale, with a link to what changed since.
/// </summary>
public partial class DecisionTimeline
{
    private List<TimelineEntry> entries = [];

    /// <summary>The change with its decisions and events loaded (as <see cref="ReviewQuery"/> loads it).</summary>
    [Parameter, EditorRequired]
    public Change Change { get; set; } = default!;

    protected override void OnParametersSet() =>
        // An event and a decision at the same instant: the event (a push, a re-score) came first.
        entries = Change.Events.Select(e => new TimelineEntry(e.At, 0, e.Id, null, e))
            .Concat(Change.Decisions.Select(d => new TimelineEntry(d.DecidedAt, 1, d.Id, d, null)))
            .OrderBy(e => e.At).ThenBy(e => e.Order).ThenBy(e => e.Id)
            .ToList();

    private bool IsStaleApproval(Decision decision) =>
        decision.Kind == DecisionKind.Approve && !ReviewSubject.IsHeadCommit(decision.RevisionNumber, decision.CommitSha, Change.RevisionCount, Change.HeadSha);

    /// <summary>" (riley@demo.local, as reviewer)", or what of it is known.</summary>
    private static string Who(Decision decision)
    {
        var parts = new List<string>();
        if (decision.ReviewerEmail is not null)
        {
            parts.Add(decision.ReviewerEmail);
        }

        if (decision.ReviewerRoles.Count > 0)
        {
            parts.Add($"as {PolicyText.Roles(decision.ReviewerRoles)}");
        }

        return parts.Count == 0 ? "" : $" ({string.Join(", ", parts)})";
    }

    private static string DecisionClass(Decision decision, bool stale) =>
        $"timeline-decision kind-{decision.Kind.ToString().ToLowerInvariant()}{(stale ? " is-stale" : "")}";

    private string ChangesSince(int revision) => ReviewLinks.ChangesSince(Change.Id, Change.RevisionCount, revision);

    private sealed record TimelineEntry(DateTimeOffset At, int Order, long Id, Decision? Decision, ChangeEvent? Event);
}
