using Microsoft.EntityFrameworkCore;
using ReviewPortal.Domain.Changes;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Domain.Provenance;
using ReviewPortal.Domain.Text;
using ReviewPortal.Web.Data;

namespace ReviewPortal.Web.Features.Ingest.Webhooks;

/// <summary>
/// What an SCM says about a pull/merge request at one moment. <see cref="Title"/> is null when the source has no
/// title of its own to give (a local branch after its first commit): the change then keeps the one it has.
/// </summary>
public sealed record ScmChangeSnapshot(
    int Number,
    string? Title,
    string? Description,
    string? Url,
    string Author,
    string SourceBranch,
    string TargetBranch,
    string HeadSha,
    string BaseSha,
    IReadOnlyList<string> Labels,
    string ScmState,
    DateTimeOffset? OpenedAt = null);

/// <summary>
/// Creates or updates the change of a pull/merge request from an SCM snapshot: a new head commit becomes a new,
/// re-scored revision (its files fetched only then); other events update what they touch. The portal cannot refuse
/// what an SCM sends, so text it cannot store is repaired here, for every provider, and the change says which field
/// was altered (<see cref="StorableText"/>).
/// </summary>
public sealed class ChangeIngestor(IDbContextFactory<PortalDbContext> dbFactory, RevisionRecorder revisions, TimeProvider clock, ILogger<ChangeIngestor> logger)
{
    /// <summary>How often an ingest is tried again when someone else wrote the change (xmin) between its read and its save.</summary>
    public const int MaxAttempts = 4;

    public async Task<long> IngestAsync(
        ScmRepository repository,
        ChangeOrigin origin,
        ScmChangeSnapshot snapshot,
        bool fetchRevision,
        Func<CancellationToken, Task<IReadOnlyList<IncomingFile>>> fetchFiles,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(fetchFiles);
        var repairs = new StorableTextRepairs();
        var storable = Storable(snapshot, repairs);
        // The files of a head commit do not change between attempts: fetched from the SCM once.
        IReadOnlyList<IncomingFile>? fetched = null;
        async Task<IReadOnlyList<IncomingFile>> FetchOnceAsync(CancellationToken ct) => fetched ??= Storable(await fetchFiles(ct), repairs);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await IngestOnceAsync(repository, origin, storable, fetchRevision, FetchOnceAsync, repairs, cancellationToken);
            }
            catch (DbUpdateConcurrencyException) when (attempt < MaxAttempts)
            {
                // A decision, claim or assignment committed on the change meanwhile: read it again and re-apply.
                logger.LogInformation("{Repository}#{Number} was written by someone else while it was ingested; reading it again (attempt {Attempt} of {Max}).",
                    repository.Name, snapshot.Number, attempt + 1, MaxAttempts);
            }
        }
    }

    private async Task<long> IngestOnceAsync(
        ScmRepository repository,
        ChangeOrigin origin,
        ScmChangeSnapshot snapshot,
        bool fetchRevision,
        Func<CancellationToken, Task<IReadOnlyList<IncomingFile>>> fetchFiles,
        StorableTextRepairs repairs,
        CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var change = await db.Changes
            .Include(c => c.Decisions)
            .Include(c => c.Revisions.OrderByDescending(r => r.Number).Take(1)).ThenInclude(r => r.RiskContributions)
            .AsSplitQuery()
            .FirstOrDefaultAsync(c => c.RepositoryId == repository.Id && c.ExternalNumber == snapshot.Number, cancellationToken);

        var isNew = change is null;
        change ??= new Change
        {
            Title = StorableText.Truncate(snapshot.Title ?? snapshot.SourceBranch, 300)!,
            Repository = repository.Name,
            Author = snapshot.Author,
            SubmittedBy = origin == ChangeOrigin.LocalGit ? "localgit-poller" : $"{origin.ToString().ToLowerInvariant()}-webhook",
            // Queue age counts from when the SCM opened the change, never from the future.
            SubmittedAt = snapshot.OpenedAt is { } opened && opened < clock.GetUtcNow() ? opened : clock.GetUtcNow(),
            Origin = origin,
            RepositoryId = repository.Id,
            ExternalNumber = snapshot.Number,
            State = ChangeState.Pending,
            RuleSetVersion = revisions.RuleSet.Version,
        };
        if (snapshot.Title is { } title)
        {
            change.Title = StorableText.Truncate(title, 300)!;
        }

        change.ExternalUrl = snapshot.Url;
        change.SourceBranch = snapshot.SourceBranch;
        change.TargetBranch = snapshot.TargetBranch;
        change.ScmState = snapshot.ScmState;
        ApplyProvenance(repository, change, snapshot, await revisions.ProvenanceUpdateAsync(db, change, $"from the trailers of {repository.Name}#{snapshot.Number}", cancellationToken));

        var hasHead = change.Revisions.Any(r => r.HeadSha == snapshot.HeadSha);
        if ((fetchRevision || isNew) && !hasHead)
        {
            var files = await fetchFiles(cancellationToken);
            var revision = revisions.Build(change.RevisionCount + 1, snapshot.HeadSha, snapshot.BaseSha, files, change.Prompt, change.Provenance);
            revisions.Apply(change, revision);
            logger.LogInformation("{Repository}#{Number}: revision {Revision} at {Head} scored {Score} (tier {Tier}).",
                repository.Name, snapshot.Number, revision.Number, snapshot.HeadSha, revision.RiskScore, (int)revision.Tier);
        }

        await NoteRepairsAsync(db, change, isNew, repairs, cancellationToken);
        if (isNew)
        {
            db.Changes.Add(change);
        }

        await db.SaveChangesAsync(cancellationToken);
        return change.Id;
    }

    /// <summary>
    /// Provenance from the description's trailers fills what the API has not supplied (an API bundle wins), and the
    /// change is classified agent- or human-authored by the repository's policy (agent accounts and labels), with the
    /// provenance it already carries: a later commit without trailers does not make it forget them.
    /// </summary>
    private static void ApplyProvenance(ScmRepository repository, Change change, ScmChangeSnapshot snapshot, ProvenanceUpdate update)
    {
        change.FillFromTrailers(ProvenanceTrailers.Parse(snapshot.Description), update);
        var authorship = AuthorshipClassifier.Classify(
            new AuthorshipPolicy(repository.AgentAccounts, repository.AgentLabels),
            new AuthorshipEvidence(snapshot.Author, snapshot.Labels, change.Provenance, snapshot.Description, change.KnownTrailers));
        change.IsAgentAuthored = authorship.IsAgentAuthored;
        change.AuthorshipReason = authorship.Reason;
    }

    /// <summary>The snapshot with its text storable; <paramref name="repairs"/> names each field that was altered.</summary>
    private static ScmChangeSnapshot Storable(ScmChangeSnapshot snapshot, StorableTextRepairs repairs) => snapshot with
    {
        Title = repairs.Repair("title", snapshot.Title),
        Description = repairs.Repair("description", snapshot.Description),
        Url = repairs.Repair("URL", snapshot.Url),
        Author = repairs.Repair("author", snapshot.Author),
        SourceBranch = repairs.Repair("source branch", snapshot.SourceBranch),
        TargetBranch = repairs.Repair("target branch", snapshot.TargetBranch),
        HeadSha = repairs.Repair("head commit", snapshot.HeadSha),
        BaseSha = repairs.Repair("base commit", snapshot.BaseSha),
        Labels = snapshot.Labels.Select(label => repairs.Repair("labels", label)).ToList(),
        ScmState = repairs.Repair("state", snapshot.ScmState),
    };

    private static List<IncomingFile> Storable(IReadOnlyList<IncomingFile> files, StorableTextRepairs repairs) =>
        files.Select((file, i) =>
        {
            var path = repairs.Repair($"path of file {i + 1}", file.Path);
            return file with
            {
                Path = path,
                PreviousPath = repairs.Repair($"previous path of {path}", file.PreviousPath),
                OldContent = repairs.Repair($"old content of {path}", file.OldContent),
                NewContent = repairs.Repair($"new content of {path}", file.NewContent),
            };
        }).ToList();

    /// <summary>
    /// Says on the change which fields were repaired, once: an SCM resends the same text with every event of its pull
    /// request, and the note would otherwise repeat on each.
    /// </summary>
    private async Task NoteRepairsAsync(PortalDbContext db, Change change, bool isNew, StorableTextRepairs repairs, CancellationToken cancellationToken)
    {
        if (repairs.Note is not { } note
            || (!isNew && await db.ChangeEvents.AnyAsync(e => e.ChangeId == change.Id && e.Kind == ChangeEventKind.TextRepaired && e.Detail == note, cancellationToken)))
        {
            return;
        }

        change.Events.Add(new ChangeEvent { At = clock.GetUtcNow(), Kind = ChangeEventKind.TextRepaired, Detail = note, RevisionNumber = change.RevisionCount });
        logger.LogWarning("{Repository}#{Number}: {Note}", change.Repository, change.ExternalNumber, note);
    }
}

