using ReviewPortal.Domain.Changes;
using ReviewPortal.Domain.Policy;
using ReviewPortal.Web.Data;

namespace ReviewPortal.Web.Features.Decisions;

/// <summary>The stored change and people as the domain's tier policy sees them.</summary>
public static class PolicySubjects
{
    /// <summary>
    /// <paramref name="change"/> with its decisions loaded. The head's arrival time comes from <paramref name="headArrivedAt"/>,
    /// else from its loaded head revision, else from the event that recorded the revision, else from the submission.
    /// <paramref name="deciderUserNames"/> (account id to user name) lets an author or prompter named by user name be
    /// recognised among the deciders; without it they are recognised by email.
    /// </summary>
    public static ReviewSubject From(Change change, DateTimeOffset? headArrivedAt = null, IReadOnlyDictionary<string, string>? deciderUserNames = null)
    {
        ArgumentNullException.ThrowIfNull(change);
        return new ReviewSubject(
            change.Tier,
            change.State,
            change.ScmState,
            change.Author,
            change.Prompter,
            change.RevisionCount,
            change.HeadSha,
            headArrivedAt ?? HeadArrivedAt(change),
            ChangeChecks.From(change.Provenance),
            change.Decisions.Select(d => ToRecorded(d, deciderUserNames)).ToList());
    }

    public static RecordedDecision ToRecorded(Decision decision, IReadOnlyDictionary<string, string>? deciderUserNames = null)
    {
        ArgumentNullException.ThrowIfNull(decision);
        return new RecordedDecision(
            decision.Kind,
            decision.ReviewerId,
            decision.ReviewerName,
            decision.ReviewerEmail,
            decision.ReviewerRoles,
            decision.RevisionNumber,
            decision.CommitSha,
            decision.DecidedAt,
            decision.IsAutomatic,
            decision.ResetAt is not null,
            deciderUserNames?.GetValueOrDefault(decision.ReviewerId));
    }

    private static DateTimeOffset HeadArrivedAt(Change change) =>
        change.Revisions.FirstOrDefault(r => r.Number == change.RevisionCount)?.CreatedAt
        ?? change.Events.Where(e => e.RevisionNumber == change.RevisionCount && e.Kind is ChangeEventKind.Submitted or ChangeEventKind.Revision).Select(e => (DateTimeOffset?)e.At).Min()
        ?? change.SubmittedAt;
}
