using ReviewPortal.Domain.Diff;
using ReviewPortal.Domain.Risk;
using ReviewPortal.Web.Data;

namespace ReviewPortal.Web.Features.Review;

public enum ReviewFileKind
{
    Added,
    Deleted,
    Modified,
    Renamed,
    Binary,

    /// <summary>Interdiff: the file differs between the two revisions compared.</summary>
    ChangedSince,
}

/// <summary>Where a file's diff stands: stored by the worker, still computing, failed, or computed on demand (interdiff).</summary>
public enum DiffAvailability
{
    None,
    Pending,
    Ready,
    Failed,
    OnDemand,
}

/// <summary>
/// One file in the review page's list: what the file tree and the file headers show, without the file's contents
/// (a 300-file change must not load every file at once). <see cref="Key"/> names the contents to load.
/// </summary>
public sealed record ReviewFileEntry(
    int Index,
    string Key,
    string Path,
    string? PreviousPath,
    ReviewFileKind Kind,
    int? Additions,
    int? Deletions,
    DiffAvailability Diff,
    int OldLineCount,
    int NewLineCount,
    long ByteSize,
    int HunkCount,
    string? Error,
    bool Viewed,
    long? FileId,
    long? EarlierFileId = null)
{
    public const int LargeLineCount = 20_000;
    public const long LargeByteSize = 500 * 1024;

    /// <summary>Over 20,000 lines or 500 KB: the diff waits behind "Load diff".</summary>
    public bool IsLarge => Math.Max(OldLineCount, NewLineCount) > LargeLineCount || ByteSize > LargeByteSize;

    /// <summary>Whether there is a text diff to load at all.</summary>
    public bool HasDiff => Diff is DiffAvailability.Ready or DiffAvailability.OnDemand;

    public string Folder => Path.LastIndexOf('/') is var slash and > 0 ? Path[..slash] : "";

    public string Name => Path[(Path.LastIndexOf('/') + 1)..];

    public string KindLabel => Kind switch
    {
        ReviewFileKind.ChangedSince => "changed since",
        _ => Kind.ToString().ToLowerInvariant(),
    };

    /// <summary>Roughly how many rows the file's diff shows (capped like the view), to reserve space before it loads.</summary>
    public int EstimatedRows => Math.Clamp((Additions ?? 0) + (Deletions ?? 0) + (HunkCount * 7), 1, DiffFileView.RowLimit);
}

/// <summary>A file's lines on both sides and its diff, loaded when the file is rendered.</summary>
public sealed record ReviewFileContent(IReadOnlyList<string> OldLines, IReadOnlyList<string> NewLines, FileDiff Diff);

/// <summary>
/// What the review page shows: the change (with decisions and events), the revision being looked at, and its file
/// list. With <see cref="SinceRevision"/> set, the files are the interdiff from that revision to this one.
/// </summary>
public sealed record ReviewModel(Change Change, ChangeRevision Revision, IReadOnlyList<ReviewFileEntry> Files, int? SinceRevision = null)
{
    public bool IsLatest => Revision.Number == Change.RevisionCount;

    /// <summary>The revision the interdiff starts from (with <see cref="SinceRevision"/>).</summary>
    public long? EarlierRevisionId { get; init; }

    /// <summary>The tier thresholds of the rule set that scored <see cref="Revision"/>; null when that set is not stored.</summary>
    public TierThresholds? Thresholds { get; init; }

    /// <summary>The paths the change's head revision touches (whichever revision is shown): path quorums apply by them.</summary>
    public IReadOnlyList<string> HeadPaths { get; init; } = [];
}
