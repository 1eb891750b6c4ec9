using Microsoft.EntityFrameworkCore;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Features.Ingest.Webhooks;

namespace ReviewPortal.Web.Features.Ingest;

/// <summary>
/// Attaches a provenance bundle to a change that arrived by webhook: the API's bundle takes precedence over PR
/// trailers, the change becomes agent-authored, and its latest revision is scored again with the new facts.
/// </summary>
public sealed class ProvenanceAttachService(IDbContextFactory<PortalDbContext> dbFactory, RevisionRecorder revisions, ILogger<ProvenanceAttachService> logger)
{
    /// <summary>The updated change, or null when no change matches.</summary>
    public async Task<Change?> AttachAsync(AttachProvenanceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await AttachOnceAsync(request, cancellationToken);
            }
            catch (DbUpdateConcurrencyException) when (attempt < ChangeIngestor.MaxAttempts)
            {
                // A decision, claim or assignment committed on the change meanwhile (xmin): read it again and re-apply.
                logger.LogInformation("The change for a provenance bundle was written by someone else meanwhile; reading it again (attempt {Attempt}).", attempt + 1);
            }
        }
    }

    private async Task<Change?> AttachOnceAsync(AttachProvenanceRequest request, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Changes.Include(c => c.Decisions).AsSplitQuery();
        var change = request.Repository is { } repository && request.Number is { } number
            ? await query.FirstOrDefaultAsync(c => c.Repository == repository.Trim() && c.ExternalNumber == number, cancellationToken)
            : await query.OrderByDescending(c => c.Id).FirstOrDefaultAsync(c => c.HeadSha == request.HeadSha!.Trim(), cancellationToken);
        if (change is null)
        {
            return null;
        }

        var latest = await db.Revisions.Include(r => r.Files).Include(r => r.RiskContributions)
            .AsSplitQuery()
            .FirstAsync(r => r.ChangeId == change.Id && r.Number == change.RevisionCount, cancellationToken);
        change.ApplySubmittedProvenance(request.ToBundle());
        revisions.Rescore(change, latest, "Provenance bundle attached");
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Provenance attached to change {ChangeId}; score {Score}, tier {Tier}.", change.Id, change.RiskScore, (int)change.Tier);
        return change;
    }
}
