using Microsoft.AspNetCore.Identity;
using ReviewPortal.Domain.Changes;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Domain.Provenance;
using ReviewPortal.Domain.Risk;

namespace ReviewPortal.Web.Data;

public sealed class PortalUser : IdentityUser
{
    public string DisplayName { get; set; } = "";

    /// <summary>How this reviewer last chose to read diffs; the review page opens in this mode.</summary>
    public DiffViewMode DiffViewMode { get; set; } = DiffViewMode.SideBySide;

    /// <summary>Light or dark pages; <see cref="ColourScheme.System"/> follows the browser until the person chooses.</summary>
    public ColourScheme ColourScheme { get; set; } = ColourScheme.System;

    /// <summary>The identity provider's groups the person held at their last sign-in (approval quorums count them); empty for local accounts.</summary>
    public List<string> ProviderGroups { get; set; } = [];

    /// <summary>
    /// Roles an admin took away in the portal: the person's provider groups do not give them back (at a sign-in or a
    /// re-read) until an admin allows them again.
    /// </summary>
    public List<string> RevokedRoles { get; set; } = [];
}

public enum ColourScheme
{
    System,
    Light,
    Dark,
}

public enum DiffViewMode
{
    SideBySide,
    Unified,
}

public enum ChangeOrigin
{
    Api,
    GitHub,
    GitLab,
    LocalGit,
}

/// <summary>An agent-authored (or human) code change waiting for, or holding, a review decision.</summary>
public sealed partial class Change
{
    public long Id { get; set; }
    public required string Title { get; set; }
    public required string Repository { get; set; }

    /// <summary>Who wrote the change, as its source named it when it arrived; it never changes afterwards.</summary>
    public required string Author { get; init; }

    public string? AgentSessionId { get; set; }
    public string? ModelVersion { get; set; }
    public string? Prompt { get; set; }
    public required string SubmittedBy { get; set; }
    public DateTimeOffset SubmittedAt { get; set; }

    public ChangeOrigin Origin { get; set; }

    /// <summary>The registered repository it came from; null for API submissions naming an unregistered one.</summary>
    public long? RepositoryId { get; set; }

    /// <summary>Pull/merge request number in its SCM.</summary>
    public int? ExternalNumber { get; set; }

    public string? ExternalUrl { get; set; }
    public string? SourceBranch { get; set; }
    public string? TargetBranch { get; set; }
    public string? HeadSha { get; set; }
    public string? BaseSha { get; set; }

    /// <summary>open, closed or merged, as the SCM last said.</summary>
    public string ScmState { get; set; } = "open";

    public bool IsAgentAuthored { get; set; } = true;

    /// <summary>Why the change counts as agent- or human-authored, as shown to people.</summary>
    public string? AuthorshipReason { get; set; }

    public string? ModelParametersHash { get; set; }
    public string? AgentTool { get; set; }

    /// <summary>The whole provenance bundle as last submitted (tests, coverage, findings, rollback plan...).</summary>
    public ProvenanceBundle? Provenance { get; set; }

    // Of the latest revision, kept here so the queue sorts and filters without joins.
    public int RiskScore { get; set; }
    public RiskTier Tier { get; set; }
    public required string RuleSetVersion { get; set; }
    public int Additions { get; set; }
    public int Deletions { get; set; }
    public int FileCount { get; set; }
    public int RevisionCount { get; set; }

    public ChangeState State { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    public string? DecidedBy { get; set; }

    /// <summary>The reviewer (user id) working on the change, by claim or automatic assignment; null = unassigned.</summary>
    public string? AssignedToId { get; set; }

    public string? AssignedToName { get; set; }
    public DateTimeOffset? AssignedAt { get; set; }

    /// <summary>
    /// The tier for which automatic assignment last ran; null = never. A change is assigned automatically once per
    /// tier, so a reviewer who releases it is not handed it straight back, while a rise in tier assigns it again.
    /// </summary>
    public RiskTier? AutoAssignedTier { get; set; }

    /// <summary>PostgreSQL xmin: concurrent decisions on one change resolve to one state.</summary>
    public uint RowVersion { get; set; }

    public List<ChangeRevision> Revisions { get; } = [];
    public List<Decision> Decisions { get; } = [];
    public List<ChangeEvent> Events { get; } = [];

    /// <summary>
    /// Records a decision on the revision and commit it names, which must be the current head: a decision confirmed on
    /// one commit is never recorded on another. The tier policy says what the change's state becomes (an approval short
    /// of what the tier needs leaves it pending).
    /// </summary>
    public void Record(Decision decision, ChangeState resultingState)
    {
        ArgumentNullException.ThrowIfNull(decision);
        if (!Domain.Policy.ReviewSubject.IsHeadCommit(decision.RevisionNumber, decision.CommitSha, RevisionCount, HeadSha))
        {
            throw new InvalidOperationException(
                $"A decision on revision {decision.RevisionNumber} ({decision.CommitSha ?? "no commit"}) cannot be recorded on change {Id}: its head is revision {RevisionCount} ({HeadSha ?? "no commit"}).");
        }

        Decisions.Add(decision);
        State = resultingState;
        if (resultingState != ChangeState.Pending)
        {
            DecidedAt = decision.DecidedAt;
            DecidedBy = decision.ReviewerName;
        }
    }
}

/// <summary>One push of a change: its head commit, its files, and the risk assessment of exactly these files.</summary>
public sealed class ChangeRevision
{
    public long Id { get; set; }
    public long ChangeId { get; set; }

    /// <summary>1 for the first push, then 2, 3, ...</summary>
    public int Number { get; set; }

    public string? HeadSha { get; set; }
    public string? BaseSha { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public int Additions { get; set; }
    public int Deletions { get; set; }
    public int FileCount { get; set; }
    public int RiskScore { get; set; }
    public RiskTier Tier { get; set; }
    public required string RuleSetVersion { get; set; }

    public List<ChangeFile> Files { get; } = [];
    public List<RiskContributionRecord> RiskContributions { get; } = [];
}

public sealed class ChangeFile
{
    public long Id { get; set; }
    public long RevisionId { get; set; }
    public required string Path { get; set; }

    /// <summary>The path before a rename; null when the file kept its name.</summary>
    public string? PreviousPath { get; set; }

    public string? OldContent { get; set; }
    public string? NewContent { get; set; }
    public bool IsBinary { get; set; }
    public int Additions { get; set; }
    public int Deletions { get; set; }

    /// <summary>The file's diff, computed once in the background after the revision arrives; null for binary files.</summary>
    public FileDiffRecord? Diff { get; set; }
}

public enum FileDiffStatus
{
    /// <summary>Waiting for the diff worker.</summary>
    Pending,
    Ready,
    /// <summary>Computing it failed for good; <see cref="FileDiffRecord.Error"/> says why.</summary>
    Failed,
}

/// <summary>
/// The stored diff of one file of one revision: computed once by the background worker, never per render.
/// <see cref="Script"/> is the serialized <c>ReviewPortal.Domain.Diff.FileDiff</c>; the line texts stay in the file.
/// </summary>
public sealed class FileDiffRecord
{
    public long FileId { get; set; }
    public FileDiffStatus Status { get; set; }
    public string? Script { get; set; }
    public int OldLineCount { get; set; }
    public int NewLineCount { get; set; }

    /// <summary>The larger side in UTF-8 bytes: files over 500 KB wait behind "load diff".</summary>
    public long ByteSize { get; set; }

    public int HunkCount { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset? ComputedAt { get; set; }
    public double? ComputeMilliseconds { get; set; }
    public string? Error { get; set; }
}

/// <summary>A reviewer's "viewed" mark on one file of one revision: a new revision's files start unviewed.</summary>
public sealed class FileViewMark
{
    public required string UserId { get; set; }
    public long FileId { get; set; }
    public DateTimeOffset MarkedAt { get; set; }
}

/// <summary>One rule that fired for a revision: its points and where it saw the reason.</summary>
public sealed class RiskContributionRecord
{
    public long Id { get; set; }
    public long RevisionId { get; set; }
    public required string RuleId { get; set; }
    public required string Description { get; set; }
    public int Points { get; set; }
    public List<RuleEvidence> Evidence { get; set; } = [];
}

/// <summary>Something that happened to a change besides a decision: a new revision, a tier change and why.</summary>
public sealed class ChangeEvent
{
    public long Id { get; set; }
    public long ChangeId { get; set; }
    public DateTimeOffset At { get; set; }
    public required ChangeEventKind Kind { get; set; }
    public required string Detail { get; set; }
    public int? RevisionNumber { get; set; }
}

/// <summary>A reviewer's sign-off, kept with the identity that made it.</summary>
public sealed class Decision
{
    public long Id { get; set; }
    public long ChangeId { get; set; }
    public DecisionKind Kind { get; set; }
    public string? Reason { get; set; }
    public required string ReviewerId { get; set; }
    public required string ReviewerName { get; set; }
    public string? ReviewerEmail { get; set; }
    public DateTimeOffset DecidedAt { get; set; }

    /// <summary>The revision (and head commit) the decision was given on: an approval counts for that commit only.</summary>
    public int RevisionNumber { get; set; } = 1;

    public string? CommitSha { get; set; }

    /// <summary>The decider's roles at the moment of the decision, as the policy checked them (tier 4 counts security reviewers).</summary>
    public List<string> ReviewerRoles { get; set; } = [];

    /// <summary>
    /// The decider's groups at the moment of the decision (roles and provider groups), as approval quorums count them;
    /// null for decisions recorded before groups were, whose roles stand for their groups.
    /// </summary>
    public List<string>? ReviewerGroups { get; set; }

    /// <summary>True for a decision the portal made itself (tier-1 automatic approval); <see cref="PolicyRule"/> says why.</summary>
    public bool IsAutomatic { get; set; }

    /// <summary>The policy rule that allowed an automatic decision, as shown on the timeline.</summary>
    public string? PolicyRule { get; set; }

    /// <summary>Set when a later event (a rise in tier) took this decision's effect away; the decision stays on record.</summary>
    public DateTimeOffset? ResetAt { get; set; }

    public string? ResetReason { get; set; }
}
