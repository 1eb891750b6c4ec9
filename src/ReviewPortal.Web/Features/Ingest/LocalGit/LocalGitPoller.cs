using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using ReviewPortal.Domain.Changes;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Features.Ingest.Webhooks;
using ReviewPortal.Web.Scm.LocalGit;

namespace ReviewPortal.Web.Features.Ingest.LocalGit;

/// <summary>What one poll of a repository did.</summary>
public sealed record LocalGitPollResult(int Branches, int Ingested, int Merged, int Closed, int Failed);

/// <summary>
/// Turns the branches of registered local git repositories into changes: each branch other than the default branch
/// is a change against its merge-base with the default branch, numbered once per repository and found again by its
/// branch name; a new head commit becomes a new revision through <see cref="ChangeIngestor"/>. Polls every
/// <see cref="LocalGitSettings.PollSeconds"/> (default 10) and at once when <see cref="RequestPoll"/> is called. A broken
/// repository is logged and skipped; it never stops the poller or the other repositories. Portal instances on one
/// database poll a repository one at a time (a PostgreSQL advisory lock per repository), so no two read and ingest the
/// same branch at once.
/// </summary>
public sealed class LocalGitPoller(
    LocalGitClient git,
    ChangeIngestor ingestor,
    IDbContextFactory<PortalDbContext> dbFactory,
    NpgsqlDataSource dataSource,
    IOptionsMonitor<LocalGitSettings> settings,
    TimeProvider clock,
    ILogger<LocalGitPoller> logger) : BackgroundService
{
    public const string Merged = "merged";
    public const string Closed = "closed";
    public const string Open = "open";

    // The first key of the advisory locks (pg_advisory_lock(int, int)) taken per repository: "LGIT".
    private const int AdvisoryLockNamespace = 0x4C474954;

    // One poll per repository at a time in this process (the timer and an API trigger must not both number a new
    // branch), and across instances through an advisory lock; the unique (repository, number) index stays the last guard.
    private readonly ConcurrentDictionary<long, SemaphoreSlim> _repositoryLocks = new();
    private readonly ConcurrentDictionary<long, byte> _requested = new();

    // The default branch's head at the last poll: only when it moved can an unchanged branch have been merged.
    private readonly ConcurrentDictionary<long, string> _defaultHeads = new();
    private readonly Channel<long> _requests = Channel.CreateUnbounded<long>(new UnboundedChannelOptions { SingleReader = true });

    public TimeSpan Interval => TimeSpan.FromSeconds(settings.CurrentValue.PollSeconds);

    /// <summary>Asks the background loop to poll one repository now; repeated requests before it runs count once.</summary>
    public void RequestPoll(long repositoryId)
    {
        if (_requested.TryAdd(repositoryId, 0))
        {
            _requests.Writer.TryWrite(repositoryId);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = Interval;
        var nextFullPoll = clock.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (clock.GetUtcNow() >= nextFullPoll)
                {
                    await PollAllAsync(stoppingToken);
                    nextFullPoll = clock.GetUtcNow() + interval;
                }

                await WaitForRequestAsync(nextFullPoll - clock.GetUtcNow(), stoppingToken);
                while (_requests.Reader.TryRead(out var repositoryId))
                {
                    _requested.TryRemove(repositoryId, out _);
                    await PollRequestedAsync(repositoryId, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The database failed (listing repositories); every repository's own failures are handled below.
                logger.LogError(ex, "Polling local git repositories failed; retrying in {Interval} s.", interval.TotalSeconds);
                nextFullPoll = clock.GetUtcNow() + interval;
            }
        }
    }

    private async Task WaitForRequestAsync(TimeSpan wait, CancellationToken stoppingToken)
    {
        if (wait <= TimeSpan.Zero)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(wait, clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, timeout.Token);
        try
        {
            await _requests.Reader.WaitToReadAsync(linked.Token);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            // The interval elapsed with no request: time for the next full poll.
        }
    }

    /// <summary>Polls every active local git repository, one after another.</summary>
    public async Task PollAllAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var repositories = await db.Repositories.AsNoTracking()
            .Where(r => r.Provider == ScmProvider.LocalGit && r.IsActive)
            .OrderBy(r => r.Id)
            .ToListAsync(cancellationToken);
        foreach (var repository in repositories)
        {
            await PollSafelyAsync(repository, cancellationToken);
        }
    }

    private async Task PollRequestedAsync(long repositoryId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var repository = await db.Repositories.AsNoTracking()
            .FirstOrDefaultAsync(r => r.Id == repositoryId && r.Provider == ScmProvider.LocalGit && r.IsActive, cancellationToken);
        if (repository is null)
        {
            logger.LogWarning("A poll was requested for repository {RepositoryId}, which is not an active local git repository.", repositoryId);
            return;
        }

        await PollSafelyAsync(repository, cancellationToken);
    }

    private async Task PollSafelyAsync(ScmRepository repository, CancellationToken cancellationToken)
    {
        try
        {
            await PollRepositoryAsync(repository, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogError(ex, "Local git repository {Repository} ({RepositoryId}) at {Path} was skipped: {Reason}",
                repository.Name, repository.Id, repository.LocalPath, ex.Message);
        }
    }

    /// <summary>
    /// Polls one repository now. Throws <see cref="GitCommandException"/> when the repository as a whole cannot be
    /// read (missing path, not a git repository, no default branch); a single branch that fails is logged and counted.
    /// </summary>
    public async Task<LocalGitPollResult> PollRepositoryAsync(ScmRepository repository, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        var path = repository.LocalPath;
        if (string.IsNullOrWhiteSpace(path) || !Directory.Exists(path))
        {
            throw new GitCommandException($"The repository's local path '{path}' does not exist.");
        }

        var gate = _repositoryLocks.GetOrAdd(repository.Id, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            // Another instance polling this repository is waited for, not skipped: an API trigger must see the latest
            // commits read, and after the other poll this one finds every branch up to date at the cost of a listing.
            // Ids past int's range share a key with another repository: the two then poll one after the other, no worse.
            await using var pollLock = await AdvisoryLock.AcquireAsync(dataSource, AdvisoryLockNamespace, unchecked((int)repository.Id),
                $"the poll lock of repository {repository.Id}", logger, cancellationToken);
            return await PollLockedAsync(repository, path, cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<LocalGitPollResult> PollLockedAsync(ScmRepository repository, string path, CancellationToken cancellationToken)
    {
        var branches = await git.ListBranchesAsync(path, cancellationToken);
        var defaultHead = branches.FirstOrDefault(b => b.Name == repository.DefaultBranch)?.HeadSha
                          ?? throw new GitCommandException($"The default branch '{repository.DefaultBranch}' does not exist in {path}.");
        var defaultMoved = !_defaultHeads.TryGetValue(repository.Id, out var lastDefaultHead) || lastDefaultHead != defaultHead;

        List<TrackedChange> tracked;
        int nextNumber;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            tracked = await db.Changes.AsNoTracking()
                .Where(c => c.RepositoryId == repository.Id && c.SourceBranch != null && c.ExternalNumber != null)
                .Select(c => new TrackedChange(c.Id, c.ExternalNumber!.Value, c.SourceBranch!, c.HeadSha, c.ScmState))
                .ToListAsync(cancellationToken);
            nextNumber = (await db.Changes.Where(c => c.RepositoryId == repository.Id).MaxAsync(c => c.ExternalNumber, cancellationToken) ?? 0) + 1;
        }

        int ingested = 0, merged = 0, closed = 0, failed = 0;
        foreach (var branch in branches.Where(b => b.Name != repository.DefaultBranch))
        {
            // A merged change stays as it was; a branch of the same name made later is a new change.
            var current = tracked.Where(c => c.SourceBranch == branch.Name && c.ScmState != Merged).MaxBy(c => c.Number);
            if (current is { ScmState: Open } && current.HeadSha == branch.HeadSha && !defaultMoved)
            {
                continue;
            }

            try
            {
                if (await git.IsAncestorAsync(path, branch.HeadSha, repository.DefaultBranch, cancellationToken))
                {
                    // Nothing the default branch lacks: merged if it was under review, otherwise not a change yet.
                    if (current is not null)
                    {
                        await SetScmStateAsync(current.Id, Merged, $"Branch {branch.Name} was merged into {repository.DefaultBranch}.", cancellationToken);
                        merged++;
                    }

                    continue;
                }

                if (current is { ScmState: Open } && current.HeadSha == branch.HeadSha)
                {
                    continue;
                }

                var number = current?.Number ?? nextNumber++;
                if (await IngestBranchAsync(repository, path, branch, number, isNew: current is null, cancellationToken))
                {
                    ingested++;
                }
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                failed++;
                logger.LogError(ex, "Branch {Branch} of {Repository} could not be ingested; it is tried again at the next poll.", branch.Name, repository.Name);
            }
        }

        var present = branches.Select(b => b.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var gone in tracked.Where(c => c.ScmState == Open && !present.Contains(c.SourceBranch)))
        {
            try
            {
                var wasMerged = gone.HeadSha is not null && await git.IsAncestorAsync(path, gone.HeadSha, repository.DefaultBranch, cancellationToken);
                await SetScmStateAsync(gone.Id, wasMerged ? Merged : Closed,
                    wasMerged ? $"Branch {gone.SourceBranch} was merged into {repository.DefaultBranch} and deleted." : $"Branch {gone.SourceBranch} was deleted without being merged.",
                    cancellationToken);
                if (wasMerged)
                {
                    merged++;
                }
                else
                {
                    closed++;
                }
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                failed++;
                logger.LogError(ex, "The state of deleted branch {Branch} of {Repository} could not be recorded.", gone.SourceBranch, repository.Name);
            }
        }

        _defaultHeads[repository.Id] = defaultHead;
        if (ingested + merged + closed + failed > 0)
        {
            logger.LogInformation("Polled {Repository}: {Branches} branches, {Ingested} ingested, {Merged} merged, {Closed} closed, {Failed} failed.",
                repository.Name, branches.Count, ingested, merged, closed, failed);
        }

        return new LocalGitPollResult(branches.Count, ingested, merged, closed, failed);
    }

    private async Task<bool> IngestBranchAsync(ScmRepository repository, string path, GitBranch branch, int number, bool isNew, CancellationToken cancellationToken)
    {
        var baseSha = await git.MergeBaseAsync(path, branch.Name, repository.DefaultBranch, cancellationToken);
        if (baseSha is null)
        {
            logger.LogWarning("Branch {Branch} of {Repository} shares no history with {DefaultBranch}; it is not a change.", branch.Name, repository.Name, repository.DefaultBranch);
            return false;
        }

        var head = await git.GetCommitAsync(path, branch.HeadSha, cancellationToken);
        // A branch has no title of its own: its change is named once, by the commit it arrived with, and later
        // commits (whose subjects say what each one did) leave the name alone.
        var snapshot = new ScmChangeSnapshot(
            number,
            !isNew ? null : string.IsNullOrWhiteSpace(head.Subject) ? branch.Name : head.Subject.Trim(),
            head.Body,
            Url: null,
            Author: string.IsNullOrWhiteSpace(head.AuthorEmail) ? head.AuthorName : head.AuthorEmail,
            SourceBranch: branch.Name,
            TargetBranch: repository.DefaultBranch,
            HeadSha: branch.HeadSha,
            BaseSha: baseSha,
            Labels: [],
            ScmState: Open,
            OpenedAt: head.CommittedAt);
        await ingestor.IngestAsync(repository, ChangeOrigin.LocalGit, snapshot, fetchRevision: true,
            ct => FetchFilesAsync(path, baseSha, branch.HeadSha, ct), cancellationToken);
        return true;
    }

    private async Task<IReadOnlyList<IncomingFile>> FetchFilesAsync(string path, string baseSha, string headSha, CancellationToken cancellationToken)
    {
        var changed = await git.DiffNameStatusAsync(path, baseSha, headSha, cancellationToken);
        var files = new IncomingFile[changed.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, changed.Count), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var file = changed[i];
            // A copy is reviewed as a new file: its lines are new code wherever they were copied from.
            var oldBytes = file.Kind is GitChangeKind.Added or GitChangeKind.Copied ? null : await git.ShowFileAsync(path, baseSha, file.PreviousPath ?? file.Path, ct);
            var newBytes = file.Kind is GitChangeKind.Deleted ? null : await git.ShowFileAsync(path, headSha, file.Path, ct);
            files[i] = new IncomingFile(file.Path, ScmContent.Text(oldBytes), ScmContent.Text(newBytes),
                file.Kind == GitChangeKind.Renamed ? file.PreviousPath : null, ScmContent.IsBinary(oldBytes) || ScmContent.IsBinary(newBytes));
        });
        return files;
    }

    private async Task SetScmStateAsync(long changeId, string state, string detail, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var change = await db.Changes.FirstAsync(c => c.Id == changeId, cancellationToken);
        change.ScmState = state;
        change.Events.Add(new ChangeEvent { At = clock.GetUtcNow(), Kind = state == Merged ? ChangeEventKind.BranchMerged : ChangeEventKind.BranchClosed, Detail = detail, RevisionNumber = change.RevisionCount });
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Change {ChangeId}: {Detail}", changeId, detail);
    }

    public override void Dispose()
    {
        foreach (var gate in _repositoryLocks.Values)
        {
            gate.Dispose();
        }

        base.Dispose();
    }

    private sealed record TrackedChange(long Id, int Number, string SourceBranch, string? HeadSha, string ScmState);
}
