using Microsoft.EntityFrameworkCore;
using ReviewPortal.Domain.Diff;
using ReviewPortal.Domain.Risk;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Features.Decisions;
using ReviewPortal.Web.Features.Admin;

namespace ReviewPortal.Web.Features.Review;

/// <summary>
/// Loads what the review page shows in two steps: the change and its file list (paths, stats, diff status, the
/// reader's viewed marks; no contents), then one file's contents and stored diff when that file is rendered.
/// </summary>
public sealed class ReviewQuery(IDbContextFactory<PortalDbContext> dbFactory, RiskRuleProvider rules, ILogger<ReviewQuery> logger)
{
    /// <summary>Interdiffs are computed on demand, off the circuit's thread, at most this many at once per instance.</summary>
    private static readonly SemaphoreSlim InterdiffSlots = new(Math.Max(1, Environment.ProcessorCount / 2));

    /// <summary>An interdiff taking longer than this is reported to the reader instead of keeping the file loading.</summary>
    public static readonly TimeSpan InterdiffTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The change at <paramref name="revisionNumber"/> (null = the latest) and its file list; with
    /// <paramref name="sinceRevision"/>, only the files that differ between that revision and the shown one.
    /// <paramref name="userId"/>'s viewed marks come with the list.
    /// </summary>
    public async Task<ReviewModel?> LoadAsync(long changeId, int? revisionNumber = null, int? sinceRevision = null, string? userId = null, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var change = await db.Changes.AsNoTracking()
            .Include(c => c.Decisions.OrderBy(d => d.DecidedAt))
            .Include(c => c.Events.OrderBy(e => e.At))
            .AsSplitQuery()
            .FirstOrDefaultAsync(c => c.Id == changeId, cancellationToken);
        if (change is null)
        {
            return null;
        }

        var number = revisionNumber is { } requested && requested >= 1 && requested <= change.RevisionCount ? requested : change.RevisionCount;
        var revision = await LoadRevisionAsync(db, changeId, number, cancellationToken);
        if (revision is null)
        {
            return null;
        }

        var thresholds = await ThresholdsAsync(db, revision.RuleSetVersion, cancellationToken);
        var headPaths = await PolicySubjects.HeadPathsAsync(db, changeId, change.RevisionCount, cancellationToken);
        if (sinceRevision is { } since && since >= 1 && since < number
            && await db.Revisions.Where(r => r.ChangeId == changeId && r.Number == since).Select(r => (long?)r.Id).FirstOrDefaultAsync(cancellationToken) is { } earlierId)
        {
            return new ReviewModel(change, revision, await InterdiffListAsync(db, earlierId, revision.Id, userId, cancellationToken), since) { EarlierRevisionId = earlierId, Thresholds = thresholds, HeadPaths = headPaths };
        }

        return new ReviewModel(change, revision, await FileListAsync(db, revision.Id, userId, cancellationToken)) { Thresholds = thresholds, HeadPaths = headPaths };
    }

    /// <summary>The tier thresholds of the rule set that scored the revision: an uploaded set may move them.</summary>
    private async Task<TierThresholds?> ThresholdsAsync(PortalDbContext db, string ruleSetVersion, CancellationToken cancellationToken)
    {
        // Usually the active set or the default, which are at hand parsed: the page reloads on every notification.
        foreach (var known in new[] { rules.Current, RiskRuleSet.Default })
        {
            if (known.Version == ruleSetVersion)
            {
                return known.Thresholds;
            }
        }

        var yaml = await db.RiskRuleSets.AsNoTracking().Where(r => r.Version == ruleSetVersion).Select(r => r.Yaml).FirstOrDefaultAsync(cancellationToken);
        if (yaml is null)
        {
            logger.LogWarning("Rule set {RuleSetVersion} is not stored; the review page shows the score without its thresholds.", ruleSetVersion);
            return null;
        }

        return RiskRuleSet.FromYaml(yaml).RuleSet?.Thresholds;
    }

    private static Task<ChangeRevision?> LoadRevisionAsync(PortalDbContext db, long changeId, int number, CancellationToken cancellationToken) =>
        db.Revisions.AsNoTracking()
            .Include(r => r.RiskContributions.OrderByDescending(c => c.Points))
            .FirstOrDefaultAsync(r => r.ChangeId == changeId && r.Number == number, cancellationToken);

    private static async Task<List<ReviewFileEntry>> FileListAsync(PortalDbContext db, long revisionId, string? userId, CancellationToken cancellationToken)
    {
        // Only metadata: "IS NULL" on the contents says added or deleted without reading them.
        var rows = await db.ChangeFiles.AsNoTracking()
            .Where(f => f.RevisionId == revisionId)
            .Select(f => new
            {
                f.Id,
                f.Path,
                f.PreviousPath,
                f.IsBinary,
                f.Additions,
                f.Deletions,
                Added = f.OldContent == null,
                Deleted = f.NewContent == null,
                Status = f.Diff == null ? (FileDiffStatus?)null : f.Diff.Status,
                OldLines = f.Diff == null ? 0 : f.Diff.OldLineCount,
                NewLines = f.Diff == null ? 0 : f.Diff.NewLineCount,
                Bytes = f.Diff == null ? 0 : f.Diff.ByteSize,
                Hunks = f.Diff == null ? 0 : f.Diff.HunkCount,
                Error = f.Diff == null ? null : f.Diff.Error,
                Viewed = userId != null && db.FileViewMarks.Any(m => m.FileId == f.Id && m.UserId == userId),
            })
            .ToListAsync(cancellationToken);
        return rows.OrderBy(r => r.Path, StringComparer.Ordinal)
            .Select((f, i) => new ReviewFileEntry(
                i,
                $"f{f.Id}",
                f.Path,
                f.PreviousPath,
                f.IsBinary ? ReviewFileKind.Binary : f.PreviousPath is not null ? ReviewFileKind.Renamed : f.Added ? ReviewFileKind.Added : f.Deleted ? ReviewFileKind.Deleted : ReviewFileKind.Modified,
                f.Additions,
                f.Deletions,
                f.IsBinary ? DiffAvailability.None : f.Status switch
                {
                    FileDiffStatus.Ready => DiffAvailability.Ready,
                    FileDiffStatus.Failed => DiffAvailability.Failed,
                    _ => DiffAvailability.Pending,
                },
                f.OldLines,
                f.NewLines,
                f.Bytes,
                f.Hunks,
                f.Status == FileDiffStatus.Failed ? f.Error : null,
                f.Viewed,
                f.Id))
            .ToList();
    }

    /// <summary>
    /// The files that differ between two revisions, decided in the database (the contents never leave it here): the
    /// earlier head's content against the later one's, and for a file only one revision touched, its base content,
    /// which the other revision records as its old side. Stats come when the file's interdiff is computed.
    /// </summary>
    private static async Task<List<ReviewFileEntry>> InterdiffListAsync(PortalDbContext db, long earlierId, long laterId, string? userId, CancellationToken cancellationToken)
    {
        var rows = await db.Database.SqlQuery<InterdiffRow>($"""
            SELECT COALESCE(b."Path", a."Path") AS "Path", a."Id" AS "EarlierId", b."Id" AS "LaterId",
                   (COALESCE(a."IsBinary", false) OR COALESCE(b."IsBinary", false)) AS "IsBinary",
                   (CASE WHEN a."Id" IS NULL THEN b."OldContent" ELSE a."NewContent" END)
                       IS NOT DISTINCT FROM (CASE WHEN b."Id" IS NULL THEN a."OldContent" ELSE b."NewContent" END) AS "Same",
                   COALESCE(octet_length(CASE WHEN a."Id" IS NULL THEN b."OldContent" ELSE a."NewContent" END), 0)::bigint AS "OldBytes",
                   COALESCE(octet_length(CASE WHEN b."Id" IS NULL THEN a."OldContent" ELSE b."NewContent" END), 0)::bigint AS "NewBytes",
                   (b."Id" IS NOT NULL AND {userId}::text IS NOT NULL AND EXISTS (
                       SELECT 1 FROM file_view_marks m WHERE m."FileId" = b."Id" AND m."UserId" = {userId}::text)) AS "Viewed"
            FROM (SELECT "Id", "Path", "IsBinary", "OldContent", "NewContent" FROM change_files WHERE "RevisionId" = {earlierId}) a
            FULL OUTER JOIN (SELECT "Id", "Path", "IsBinary", "OldContent", "NewContent" FROM change_files WHERE "RevisionId" = {laterId}) b
                ON a."Path" = b."Path"
            """).ToListAsync(cancellationToken);
        return rows.Where(r => r.IsBinary || !r.Same)
            .OrderBy(r => r.Path, StringComparer.Ordinal)
            .Select((r, i) => new ReviewFileEntry(
                i,
                $"i{r.EarlierId}:{r.LaterId}",
                r.Path,
                null,
                r.IsBinary ? ReviewFileKind.Binary : ReviewFileKind.ChangedSince,
                null,
                null,
                r.IsBinary ? DiffAvailability.None : DiffAvailability.OnDemand,
                0,
                0,
                Math.Max(r.OldBytes, r.NewBytes),
                0,
                null,
                r.Viewed,
                r.LaterId,
                r.EarlierId))
            .ToList();
    }

    /// <summary>
    /// The contents and diff of one file of <paramref name="revisionId"/>: the stored script for a revision's file,
    /// or, for an interdiff entry, a diff computed now on the thread pool (bounded in concurrency and waiting time,
    /// so the circuit is never held up). Throws <see cref="ReviewFileUnavailableException"/> with a message for the reader.
    /// </summary>
    public async Task<ReviewFileContent> LoadFileAsync(long revisionId, long? earlierRevisionId, ReviewFileEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (entry.Diff == DiffAvailability.OnDemand)
        {
            return await LoadInterdiffAsync(db, revisionId, earlierRevisionId, entry, cancellationToken);
        }

        var file = await db.ChangeFiles.AsNoTracking()
            .Where(f => f.Id == entry.FileId && f.RevisionId == revisionId)
            .Select(f => new { f.OldContent, f.NewContent, Script = f.Diff == null ? null : f.Diff.Script })
            .FirstOrDefaultAsync(cancellationToken)
            ?? throw new ReviewFileUnavailableException($"{entry.Path} is no longer part of this revision.");
        if (file.Script is null)
        {
            throw new ReviewFileUnavailableException($"The diff of {entry.Path} has not been computed yet.");
        }

        FileDiff diff;
        try
        {
            diff = FileDiff.Deserialize(file.Script);
        }
        catch (FormatException ex)
        {
            logger.LogError(ex, "The stored diff of file {FileId} ({Path}) cannot be read.", entry.FileId, entry.Path);
            throw new ReviewFileUnavailableException($"The stored diff of {entry.Path} cannot be read.", ex);
        }

        var oldLines = DiffText.SplitLines(file.OldContent);
        var newLines = DiffText.SplitLines(file.NewContent);
        if (diff.OldLineCount != oldLines.Length || diff.NewLineCount != newLines.Length)
        {
            logger.LogError("The stored diff of file {FileId} ({Path}) does not match its contents.", entry.FileId, entry.Path);
            throw new ReviewFileUnavailableException($"The stored diff of {entry.Path} does not match the file.");
        }

        return new ReviewFileContent(oldLines, newLines, diff);
    }

    private async Task<ReviewFileContent> LoadInterdiffAsync(PortalDbContext db, long revisionId, long? earlierRevisionId, ReviewFileEntry entry, CancellationToken cancellationToken)
    {
        var ids = new[] { entry.EarlierFileId, entry.FileId }.OfType<long>().ToList();
        var files = await db.ChangeFiles.AsNoTracking()
            .Where(f => ids.Contains(f.Id) && (f.RevisionId == revisionId || f.RevisionId == earlierRevisionId))
            .Select(f => new { f.Id, f.OldContent, f.NewContent })
            .ToListAsync(cancellationToken);
        var earlier = files.FirstOrDefault(f => f.Id == entry.EarlierFileId);
        var later = files.FirstOrDefault(f => f.Id == entry.FileId);
        if (earlier is null && later is null)
        {
            throw new ReviewFileUnavailableException($"{entry.Path} is no longer part of these revisions.");
        }

        var oldContent = earlier is not null ? earlier.NewContent : later!.OldContent;
        var newContent = later is not null ? later.NewContent : earlier!.OldContent;
        if (!await InterdiffSlots.WaitAsync(InterdiffTimeout, cancellationToken))
        {
            throw new ReviewFileUnavailableException("The portal is busy computing other interdiffs; try again in a moment.");
        }

        try
        {
            var oldLines = DiffText.SplitLines(oldContent);
            var newLines = DiffText.SplitLines(newContent);
            var diff = await Task.Run(() => FileDiff.Compute(oldLines, newLines), cancellationToken).WaitAsync(InterdiffTimeout, cancellationToken);
            return new ReviewFileContent(oldLines, newLines, diff);
        }
        catch (TimeoutException ex)
        {
            logger.LogWarning(ex, "The interdiff of {Path} took longer than {Timeout}.", entry.Path, InterdiffTimeout);
            throw new ReviewFileUnavailableException($"Computing what changed in {entry.Path} took too long.", ex);
        }
        finally
        {
            InterdiffSlots.Release();
        }
    }

    internal sealed class InterdiffRow
    {
        public string Path { get; set; } = "";
        public long? EarlierId { get; set; }
        public long? LaterId { get; set; }
        public bool IsBinary { get; set; }
        public bool Same { get; set; }
        public long OldBytes { get; set; }
        public long NewBytes { get; set; }
        public bool Viewed { get; set; }
    }
}
