namespace ReviewPortal.Domain.Policy;

/// <summary>Whether someone may make a decision now, and why not when they may not.</summary>
public sealed record DecisionCheck(bool Allowed, string? Reason)
{
    public static DecisionCheck Allow { get; } = new(true, null);

    public static DecisionCheck Deny(string reason) => new(false, reason);
}

public enum PolicyNeedKind
{
    /// <summary>More approvals of the head commit.</summary>
    Approvals,

    RollbackPlan,

    BlastRadius,

    /// <summary>The head was rejected or sent back for changes: only a new commit reopens it.</summary>
    NewCommit,
}

/// <summary>
/// One thing the policy still needs, worded to follow "still needs": "1 more security reviewer approval on abc1234".
/// For approvals, <paramref name="Group"/> and <paramref name="Missing"/> say from whom and how many.
/// </summary>
public sealed record PolicyNeed(PolicyNeedKind Kind, string Description, string? Group = null, int Missing = 0);

/// <summary>
/// Where a change stands against its tier's policy: satisfied or not, what is still needed, and which approvals count
/// (distinct, eligible people on the head commit) or no longer count (given on an earlier commit, or reset).
/// </summary>
public sealed record ApprovalStatus(
    bool IsSatisfied,
    TierRequirement Requirement,
    IReadOnlyList<PolicyNeed> Needs,
    IReadOnlyList<RecordedDecision> CountedApprovals,
    RecordedDecision? AutomaticApproval,
    IReadOnlyList<RecordedDecision> StaleApprovals);

/// <summary>
/// Whether the portal may approve a change itself now. <see cref="Applies"/> is false when automatic approval is off
/// for the change's tier; otherwise <see cref="Unmet"/> lists what stops it, and <see cref="Rule"/> (when eligible)
/// names the rule and the facts that allow it, as recorded with the decision.
/// </summary>
public sealed record AutomaticApprovalVerdict(bool Applies, bool IsEligible, DateTimeOffset? WaitEndsAt, IReadOnlyList<string> Unmet, string? Rule)
{
    public static AutomaticApprovalVerdict NotApplicable { get; } = new(false, false, null, [], null);
}
