using ReviewPortal.Domain.Diff;
using ReviewPortal.Web.Data;

namespace ReviewPortal.Web.Features.Review;

public sealed record ReviewFile(string Path, string Status, int Additions, int Deletions, SideBySideDiff? Diff, string? PreviousPath = null);

/// <summary>
/// What the review page shows: the change, the revision being looked at, and its files. With
/// <see cref="SinceRevision"/> set, the files are the interdiff: what changed from that revision to this one.
/// </summary>
public sealed record ReviewModel(Change Change, ChangeRevision Revision, IReadOnlyList<ReviewFile> Files, int? SinceRevision = null)
{
    public bool IsLatest => Revision.Number == Change.RevisionCount;
}
