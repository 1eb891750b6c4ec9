using Microsoft.EntityFrameworkCore;
using ReviewPortal.Domain.Changes;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Features.Ingest.Webhooks;

namespace ReviewPortal.Web.Features.Ingest;

public enum AttachOutcome
{
    Attached,

    /// <summary>No change matches, and the client may know that: it was granted the repository it named.</summary>
    NotFound,

    /// <summary>The client may not change this change's provenance, or may not learn whether the change exists.</summary>
    Forbidden,
}

public sealed record AttachResult(AttachOutcome Outcome, Change? Change = null);

/// <summary>
/// Attaches a provenance bundle to a change: the API's bundle takes precedence over PR trailers, the change becomes
/// agent-authored, and its latest revision is scored again with the new facts. Only the client that submitted the
/// change, or a client an admin granted the change's repository, may do so (a webhook's change has no submitting
/// client); the attach is on the change's timeline with the client and each field it changed.
/// </summary>
public sealed class ProvenanceAttachService(IDbContextFactory<PortalDbContext> dbFactory, RevisionRecorder revisions, TimeProvider clock, ILogger<ProvenanceAttachService> logger)
{
    public async Task<AttachResult> AttachAsync(AttachProvenanceRequest request, ApiClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(client);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await AttachOnceAsync(request, client, cancellationToken);
            }
            catch (DbUpdateConcurrencyException) when (attempt < ChangeIngestor.MaxAttempts)
            {
                // A decision, claim or assignment committed on the change meanwhile (xmin): read it again and re-apply.
                logger.LogInformation("The change for a provenance bundle was written by someone else meanwhile; reading it again (attempt {Attempt}).", attempt + 1);
            }
        }
    }

    private async Task<AttachResult> AttachOnceAsync(AttachProvenanceRequest request, ApiClient client, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Changes.Include(c => c.Decisions).AsSplitQuery();
        var repository = SubmitChangeValidator.NamesChangeByNumber(request) ? request.Repository!.Trim() : null;
        // A head commit can be shared by changes of several repositories: only those this client may touch are candidates.
        var change = repository is not null
            ? await query.FirstOrDefaultAsync(c => c.Repository == repository && c.ExternalNumber == request.Number, cancellationToken)
            : await Attachable(db, query, client).OrderByDescending(c => c.Id).FirstOrDefaultAsync(c => c.HeadSha == request.HeadSha!.Trim(), cancellationToken);
        if (change is null)
        {
            // Telling "no such change" from "not yours" would tell every key which ids and commits exist, tier 4
            // included; only a client granted the repository it named may learn that a number is free.
            var granted = repository is not null && await db.ApiClientGrants.AnyAsync(g => g.ApiClientId == client.Id && g.Repository!.Name == repository, cancellationToken);
            return Denied(granted ? AttachOutcome.NotFound : AttachOutcome.Forbidden, client, request, changeId: null);
        }

        if (!await Attachable(db, db.Changes.Where(c => c.Id == change.Id), client).AnyAsync(cancellationToken))
        {
            return Denied(AttachOutcome.Forbidden, client, request, change.Id);
        }

        var latest = await db.Revisions.Include(r => r.Files).Include(r => r.RiskContributions)
            .AsSplitQuery()
            .FirstAsync(r => r.ChangeId == change.Id && r.Number == change.RevisionCount, cancellationToken);
        var source = $"attached by API client {client.Name}";
        var changed = change.ApplySubmittedProvenance(request.ToBundle(), await revisions.ProvenanceUpdateAsync(db, change, source, cancellationToken));
        change.Events.Add(new ChangeEvent
        {
            At = clock.GetUtcNow(),
            Kind = ChangeEventKind.ProvenanceAttached,
            Detail = changed.Count == 0 ? $"By API client {client.Name}: no field changed." : $"By API client {client.Name}: {string.Join("; ", changed)}.",
            RevisionNumber = change.RevisionCount,
        });
        revisions.Rescore(change, latest, "Provenance bundle attached");
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Provenance attached to change {ChangeId} by API client {Client}: {Fields}; score {Score}, tier {Tier}.",
            change.Id, client.Name, changed.Count == 0 ? "no field changed" : string.Join(", ", changed.Select(c => c.Field)), change.RiskScore, (int)change.Tier);
        return new AttachResult(AttachOutcome.Attached, change);
    }

    /// <summary>
    /// The changes <paramref name="client"/> may attach to: those of a repository it was granted (an API submission
    /// names its repository as text; a grant of the registered repository of that name covers it), and, while it has no
    /// grant and so is not limited to repositories, those it submitted through the API.
    /// </summary>
    private static IQueryable<Change> Attachable(PortalDbContext db, IQueryable<Change> changes, ApiClient client) =>
        changes.Where(c => (c.Origin == ChangeOrigin.Api && c.SubmittedBy == client.Name && !db.ApiClientGrants.Any(g => g.ApiClientId == client.Id))
            || db.ApiClientGrants.Any(g => g.ApiClientId == client.Id
                && ((c.RepositoryId != null && g.RepositoryId == c.RepositoryId) || (c.RepositoryId == null && g.Repository!.Name == c.Repository))));

    private AttachResult Denied(AttachOutcome outcome, ApiClient client, AttachProvenanceRequest request, long? changeId)
    {
        logger.LogWarning("API client {Client} could not attach provenance ({Outcome}) to {Repository}#{Number} / head {HeadSha}: change {ChangeId}.",
            client.Name, outcome, request.Repository, request.Number, request.HeadSha, changeId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none");
        return new AttachResult(outcome);
    }
}
