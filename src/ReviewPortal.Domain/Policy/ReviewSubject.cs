using System.Globalization;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Domain.Provenance;
using ReviewPortal.Domain.Risk;
using ReviewPortal.Domain.People;

namespace ReviewPortal.Domain.Policy;

/// <summary>
/// A decision on record, with the roles its decider held when they made it. <paramref name="DeciderUserName"/> is the
/// decider's account user name where it was looked up (decisions keep only the email), so that an author or prompter
/// named by user name is recognised as well. <paramref name="Groups"/> are the groups (roles and provider groups) the
/// decider held then; null for decisions recorded before groups were, whose roles are their groups.
/// </summary>
public sealed record RecordedDecision(
    DecisionKind Kind,
    string DeciderId,
    string DeciderName,
    string? DeciderEmail,
    IReadOnlyCollection<string> Roles,
    int RevisionNumber,
    string? CommitSha,
    DateTimeOffset DecidedAt,
    bool IsAutomatic = false,
    bool IsReset = false,
    string? DeciderUserName = null,
    IReadOnlyCollection<string>? Groups = null)
{
    /// <summary>The groups a quorum seat is matched against.</summary>
    public IReadOnlySet<string> Membership => QuorumGroups.Membership(Groups ?? Roles);
}

/// <summary>Whose change a person is, if anyone's: the author's or prompter's own approval never counts.</summary>
public enum OwnRole
{
    None,
    Author,
    Prompter,
}

/// <summary>
/// The revision and commit a decision is made on: what was on the reviewer's screen when they decided, captured then
/// and never read again afterwards. The decision is recorded only while it is still the head.
/// </summary>
public sealed record DecisionTarget(int Revision, string? Commit)
{
    /// <summary>"e05b042", or "revision 2" when the commit is unknown.</summary>
    public string Label => ReviewSubject.CommitLabel(Commit, Revision);
}

/// <summary>What the agent's run reported about the change: the facts automatic approval and rollback rules look at.</summary>
public sealed record ChangeChecks(
    TestResults? Tests = null,
    double? CoveragePercent = null,
    double? PolicyScore = null,
    IReadOnlyList<SecurityFinding>? Findings = null,
    RollbackPlan? Rollback = null)
{
    public static ChangeChecks None { get; } = new();

    public static ChangeChecks From(ProvenanceBundle? bundle) =>
        bundle is null ? None : new(bundle.Tests, bundle.CoveragePercent, bundle.PolicyComplianceScore, bundle.SecurityFindings, bundle.Rollback);
}

/// <summary>The facts of a change that the tier policy judges: its tier, state, people, head revision, checks and decisions.</summary>
public sealed record ReviewSubject(
    RiskTier Tier,
    ChangeState State,
    string ScmState,
    string Author,
    string? Prompter,
    int HeadRevision,
    string? HeadCommit,
    DateTimeOffset HeadArrivedAt,
    ChangeChecks Checks,
    IReadOnlyList<RecordedDecision> Decisions)
{
    /// <summary>The paths the head revision touches (a renamed file's old path too): path quorums apply by them.</summary>
    public IReadOnlyList<string> Paths { get; init; } = [];

    /// <summary>How people refer to the head: its short commit id, or its revision when the commit is unknown.</summary>
    public string HeadLabel => CommitLabel(HeadCommit, HeadRevision);

    /// <summary>"commit 343b7b8", or "revision 2" when the commit is unknown: the head as news of its arrival names it.</summary>
    public string HeadNoun => HeadCommit is { Length: >= 7 } ? $"commit {HeadLabel}" : HeadLabel;

    /// <summary>The head as a decision names it.</summary>
    public DecisionTarget Head => new(HeadRevision, HeadCommit);

    /// <summary>Merged or closed changes are over: nothing is left to decide.</summary>
    public bool IsOpen => string.Equals(ScmState, "open", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The one rule for "this person wrote or prompted this change", by user name or email (<see cref="PersonIdentity"/>):
    /// used when a decision is made, when approvals are counted and when a provenance change voids them.
    /// </summary>
    public OwnRole RoleOf(string? userName, string? email) =>
        PersonIdentity.Matches(userName, email, Author) ? OwnRole.Author
        : PersonIdentity.Matches(userName, email, Prompter) ? OwnRole.Prompter
        : OwnRole.None;

    public OwnRole RoleOf(Reviewer decider)
    {
        ArgumentNullException.ThrowIfNull(decider);
        return RoleOf(decider.UserName, decider.Email);
    }

    public OwnRole RoleOf(RecordedDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        return RoleOf(decision.DeciderUserName, decision.DeciderEmail);
    }

    /// <summary>A decision counts for the head commit it was given on, and only for that one.</summary>
    public bool IsOnHead(RecordedDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        return IsHeadCommit(decision.RevisionNumber, decision.CommitSha, HeadRevision, HeadCommit);
    }

    /// <summary>Whether <paramref name="target"/> is still the head: the only commit a decision can be recorded for.</summary>
    public bool IsHead(DecisionTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        return IsHeadCommit(target.Revision, target.Commit, HeadRevision, HeadCommit);
    }

    /// <summary>Whether a decision given on <paramref name="revision"/> at <paramref name="commit"/> is on the head: an approval counts only there.</summary>
    public static bool IsHeadCommit(int revision, string? commit, int headRevision, string? headCommit) =>
        revision == headRevision && string.Equals(commit, headCommit, StringComparison.OrdinalIgnoreCase);

    public static string CommitLabel(string? commit, int revision) => commit is { Length: >= 7 } ? commit[..7] : $"revision {revision}";

    /// <summary>"revision 2 (abc1234)", or "revision 2" when the commit is unknown.</summary>
    public static string RevisionPhrase(string? commit, int revision) =>
        commit is { Length: >= 7 } ? $"revision {revision} ({commit[..7]})" : $"revision {revision}";

    /// <summary>A moment as the policy's texts and the timeline show it: "2026-12-01 18:56 UTC".</summary>
    public static string TimeLabel(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
