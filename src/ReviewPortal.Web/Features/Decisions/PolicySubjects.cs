using Microsoft.EntityFrameworkCore;
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
    /// recognised among the deciders; without it they are recognised by email. The head's paths (for path quorums) are
    /// <paramref name="headPaths"/> (<see cref="HeadPathsAsync"/>), else those of its loaded head revision's files.
    /// </summary>
    public static ReviewSubject From(
        Change change, DateTimeOffset? headArrivedAt = null, IReadOnlyDictionary<string, string>? deciderUserNames = null, IReadOnlyList<string>? headPaths = null)
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
            change.Decisions.Select(d => ToRecorded(d, deciderUserNames)).ToList())
        {
            Paths = headPaths ?? LoadedHeadPaths(change) ?? [],
        };
    }

    /// <summary>The paths the head revision of change <paramref name="changeId"/> touches, renamed files' old paths included.</summary>
    public static async Task<IReadOnlyList<string>> HeadPathsAsync(PortalDbContext db, long changeId, int headRevision, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var files = await db.Revisions.Where(r => r.ChangeId == changeId && r.Number == headRevision)
            .SelectMany(r => r.Files).Select(f => new { f.Path, f.PreviousPath }).ToListAsync(cancellationToken);
        return Paths(files.Select(f => (f.Path, f.PreviousPath)));
    }

    /// <summary>The head's paths when its revision and files are loaded (as ingestion holds a new revision before saving it); otherwise null.</summary>
    public static IReadOnlyList<string>? LoadedHeadPaths(Change change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return change.Revisions.FirstOrDefault(r => r.Number == change.RevisionCount) is { Files.Count: > 0 } head
            ? Paths(head.Files.Select(f => (f.Path, f.PreviousPath)))
            : null;
    }

    private static List<string> Paths(IEnumerable<(string Path, string? PreviousPath)> files) =>
        [.. files.SelectMany(f => f.PreviousPath is null ? [f.Path] : new[] { f.Path, f.PreviousPath }).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

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
            deciderUserNames?.GetValueOrDefault(decision.ReviewerId),
            decision.ReviewerGroups);
    }

    private static DateTimeOffset HeadArrivedAt(Change change) =>
        change.Revisions.FirstOrDefault(r => r.Number == change.RevisionCount)?.CreatedAt
        ?? change.Events.Where(e => e.RevisionNumber == change.RevisionCount && e.Kind is ChangeEventKind.Submitted or ChangeEventKind.Revision).Select(e => (DateTimeOffset?)e.At).Min()
        ?? change.SubmittedAt;
}
