namespace ReviewPortal.Domain.Changes;

/// <summary>
/// What happened to a change besides a decision. Stored by name, so members may be added in any order, but a
/// member's name must never change: rows written under it would no longer read.
/// </summary>
public enum ChangeEventKind
{
    Submitted,
    Revision,
    Rescored,
    TierRaised,
    ApprovalsReset,
    ApprovalsStale,
    Reopened,
    Claimed,
    Released,
    AutoAssigned,
    Unassigned,
    BranchMerged,
    BranchClosed,
    ProvenanceAttached,
    TextRepaired,
}

/// <summary>How each kind of event is named to people (timeline, notices).</summary>
public static class ChangeEventLabels
{
    public static string Label(this ChangeEventKind kind) => kind switch
    {
        ChangeEventKind.Submitted => "Submitted",
        ChangeEventKind.Revision => "New revision",
        ChangeEventKind.Rescored => "Re-scored",
        ChangeEventKind.TierRaised => "Tier raised",
        ChangeEventKind.ApprovalsReset => "Approvals reset",
        ChangeEventKind.ApprovalsStale => "Approvals stale",
        ChangeEventKind.Reopened => "Reopened",
        ChangeEventKind.Claimed => "Claimed",
        ChangeEventKind.Released => "Released",
        ChangeEventKind.AutoAssigned => "Assigned automatically",
        ChangeEventKind.Unassigned => "Unassigned",
        ChangeEventKind.BranchMerged => "Branch merged",
        ChangeEventKind.BranchClosed => "Branch closed",
        ChangeEventKind.ProvenanceAttached => "Provenance attached",
        ChangeEventKind.TextRepaired => "Unstorable text replaced",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "An event kind without a label."),
    };
}
