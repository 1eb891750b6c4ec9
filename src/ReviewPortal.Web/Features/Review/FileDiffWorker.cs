using System.Diagnostics;
using System.Text;
using Npgsql;
using NpgsqlTypes;
using ReviewPortal.Domain.Diff;
using ReviewPortal.Web.Infrastructure;
using ReviewPortal.Web.Infrastructure.Notifications;

namespace ReviewPortal.Web.Features.Review;

/// <summary>
/// Computes the diff of every pending file once per revision and stores it (the review page reads the
/// stored script, never recomputes it). A batch is claimed with <c>FOR UPDATE SKIP LOCKED</c> inside one
/// transaction that also writes the results: the row locks are held while the batch computes, so several
/// instances share the work and no two ever compute one file; a worker that dies mid-batch rolls back and leaves
/// its files pending for the next claim. A file whose diff fails is retried <see cref="MaxAttempts"/> times, then
/// marked Failed with the error. Pages learn of finished diffs through <see cref="ChangeActivity.DiffsReady"/>.
/// </summary>
public sealed class FileDiffWorker : BackgroundService
{
    public const int MaxAttempts = 3;

    /// <summary>A side larger than this is not diffed at all; the page says so instead of a diff.</summary>
    public const long MaxDiffBytes = 16L * 1024 * 1024;

    private const int BatchSize = 16;
    private static readonly TimeSpan IdlePoll = TimeSpan.FromSeconds(1);

    private readonly NpgsqlDataSource _dataSource;
    private readonly ChangeFeed _feed;
    private readonly TimeProvider _clock;
    private readonly ILogger<FileDiffWorker> _logger;
    private readonly WorkSignal _wake = new();

    public FileDiffWorker(NpgsqlDataSource dataSource, ChangeFeed feed, TimeProvider clock, ILogger<FileDiffWorker> logger)
    {
        _dataSource = dataSource;
        _feed = feed;
        _clock = clock;
        _logger = logger;
    }

    /// <summary>The diff itself; tests replace it to make a file fail or to count computations.</summary>
    internal Func<string?, string?, FileDiff> ComputeDiff { get; init; } = FileDiff.Compute;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // A change that arrives or is revised on any instance wakes the worker at once; the idle poll is the fallback.
        using var subscription = _feed.Subscribe(notification =>
        {
            if (notification.Activity is ChangeActivity.Arrived or ChangeActivity.Revised)
            {
                Wake();
            }

            return Task.CompletedTask;
        });
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await ProcessBatchAsync(stoppingToken) == 0)
                {
                    await _wake.WaitAsync(IdlePoll, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The database failed (claim or write): the batch rolled back and stays pending.
                _logger.LogError(ex, "Stored file diffs could not be computed; retrying.");
                await Task.Delay(IdlePoll, _clock, stoppingToken);
            }
        }
    }

    /// <summary>Asks the worker to look for pending diffs now, e.g. right after a revision was stored.</summary>
    public void Wake() => _wake.Notify();

    /// <summary>Claims, computes and stores one batch; returns how many files it took.</summary>
    public async Task<int> ProcessBatchAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var claimed = await ClaimAsync(connection, transaction, cancellationToken);
        if (claimed.Count == 0)
        {
            await transaction.CommitAsync(cancellationToken);
            return 0;
        }

        var results = claimed.Select(Compute).ToList();
        await using (var batch = new NpgsqlBatch(connection, transaction))
        {
            foreach (var result in results)
            {
                batch.BatchCommands.Add(UpdateCommand(result));
            }

            await batch.ExecuteNonQueryAsync(cancellationToken);
        }

        // Inside the transaction: PostgreSQL delivers at commit, together with the stored diffs, in one round trip.
        var ready = results.Where(r => r.Status != Data.FileDiffStatus.Pending).Select(r => r.Work.ChangeId).Distinct()
            .Select(changeId => new ChangeNotification(changeId, ChangeActivity.DiffsReady)).ToList();
        if (ready.Count > 0)
        {
            await ChangeNotifier.SendAsync(connection, ready, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return claimed.Count;
    }

    private static async Task<List<PendingDiff>> ClaimAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        // Files that failed before go last, so one bad file never holds up the others.
        await using var command = new NpgsqlCommand("""
            SELECT d."FileId", d."Attempts", r."ChangeId", f."OldContent", f."NewContent"
            FROM file_diffs d
            JOIN change_files f ON f."Id" = d."FileId"
            JOIN change_revisions r ON r."Id" = f."RevisionId"
            WHERE d."Status" = 'Pending'
            ORDER BY d."Attempts", d."FileId"
            LIMIT @batch
            FOR UPDATE OF d SKIP LOCKED
            """, connection, transaction);
        command.Parameters.AddWithValue("batch", BatchSize);
        var claimed = new List<PendingDiff>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            claimed.Add(new PendingDiff(
                reader.GetInt64(0),
                reader.GetInt32(1),
                reader.GetInt64(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4)));
        }

        return claimed;
    }

    private DiffResult Compute(PendingDiff work)
    {
        var byteSize = Math.Max(Utf8Length(work.OldContent), Utf8Length(work.NewContent));
        var attempts = work.Attempts + 1;
        if (byteSize > MaxDiffBytes)
        {
            _logger.LogWarning("File {FileId} is {Bytes} bytes; files over {Max} bytes are not diffed.", work.FileId, byteSize, MaxDiffBytes);
            return new DiffResult(work, Data.FileDiffStatus.Failed, null, byteSize, attempts, $"The file is {byteSize / (1024 * 1024)} MB; the portal diffs files up to {MaxDiffBytes / (1024 * 1024)} MB.");
        }

        var stopwatch = Stopwatch.StartNew();
        try
        {
            var diff = ComputeDiff(work.OldContent, work.NewContent);
            var script = diff.Serialize();
            stopwatch.Stop();
            return new DiffResult(work, Data.FileDiffStatus.Ready, diff, byteSize, attempts, null, script, stopwatch.Elapsed.TotalMilliseconds);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            var giveUp = attempts >= MaxAttempts;
            _logger.LogWarning(ex, "Diff of file {FileId} failed on attempt {Attempt}{Outcome}.", work.FileId, attempts, giveUp ? "; marking it failed" : "; it will be retried");
            return new DiffResult(work, giveUp ? Data.FileDiffStatus.Failed : Data.FileDiffStatus.Pending, null, byteSize, attempts, ex.Message);
        }
    }

    private NpgsqlBatchCommand UpdateCommand(DiffResult result)
    {
        var command = new NpgsqlBatchCommand("""
            UPDATE file_diffs SET
                "Status" = @status, "Script" = @script, "OldLineCount" = @oldLines, "NewLineCount" = @newLines,
                "ByteSize" = @bytes, "HunkCount" = @hunks, "Attempts" = @attempts, "ComputedAt" = @at,
                "ComputeMilliseconds" = @ms, "Error" = @error
            WHERE "FileId" = @id
            """);
        var error = result.Error is { Length: > 2000 } message ? message[..2000] : result.Error;
        command.Parameters.AddWithValue("status", result.Status.ToString());
        command.Parameters.Add(new NpgsqlParameter("script", NpgsqlDbType.Text) { Value = (object?)result.Script ?? DBNull.Value });
        command.Parameters.AddWithValue("oldLines", result.Diff?.OldLineCount ?? DiffText.SplitLines(result.Work.OldContent).Length);
        command.Parameters.AddWithValue("newLines", result.Diff?.NewLineCount ?? DiffText.SplitLines(result.Work.NewContent).Length);
        command.Parameters.AddWithValue("bytes", result.ByteSize);
        command.Parameters.AddWithValue("hunks", result.Diff?.Hunks().Count ?? 0);
        command.Parameters.AddWithValue("attempts", result.Attempts);
        command.Parameters.Add(new NpgsqlParameter("at", NpgsqlDbType.TimestampTz) { Value = result.Status == Data.FileDiffStatus.Pending ? DBNull.Value : _clock.GetUtcNow() });
        command.Parameters.Add(new NpgsqlParameter("ms", NpgsqlDbType.Double) { Value = (object?)result.Milliseconds ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("error", NpgsqlDbType.Varchar) { Value = (object?)error ?? DBNull.Value });
        command.Parameters.AddWithValue("id", result.Work.FileId);
        return command;
    }

    private static long Utf8Length(string? text) => text is null ? 0 : Encoding.UTF8.GetByteCount(text);

    private sealed record PendingDiff(long FileId, int Attempts, long ChangeId, string? OldContent, string? NewContent);

    private sealed record DiffResult(
        PendingDiff Work,
        Data.FileDiffStatus Status,
        FileDiff? Diff,
        long ByteSize,
        int Attempts,
        string? Error,
        string? Script = null,
        double? Milliseconds = null);
}
