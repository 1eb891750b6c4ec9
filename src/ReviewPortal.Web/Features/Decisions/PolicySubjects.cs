using System.Security.Claims;
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
    /// </summary>
    public static ReviewSubject From(Change change, DateTimeOffset? headArrivedAt = null)
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
            change.Decisions.Select(ToRecorded).ToList());
    }

    public static RecordedDecision ToRecorded(Decision decision)
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
            decision.ResetAt is not null);
    }

    /// <summary>The signed-in user as the circuit knows them: good for showing what is allowed, never for deciding it.</summary>
    public static Decider FromPrincipal(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return new Decider(
            user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "",
            user.Identity?.Name ?? "",
            user.FindFirstValue(ClaimTypes.Email),
            user.FindAll(ClaimTypes.Role).Select(c => c.Value).ToHashSet(StringComparer.Ordinal));
    }

    private static DateTimeOffset HeadArrivedAt(Change change) =>
        change.Revisions.FirstOrDefault(r => r.Number == change.RevisionCount)?.CreatedAt
        ?? change.Events.Where(e => e.RevisionNumber == change.RevisionCount && e.Kind is ChangeEventKind.Submitted or ChangeEventKind.Revision).Select(e => (DateTimeOffset?)e.At).Min()
        ?? change.SubmittedAt;
}
