using Microsoft.EntityFrameworkCore;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Domain.Text;
using ReviewPortal.Web.Data;

namespace ReviewPortal.Web.Features.Ingest;

/// <summary>Scores a validated submission with the risk rules and stores it as a pending change.</summary>
public sealed class ChangeSubmissionService(
    IDbContextFactory<PortalDbContext> dbFactory,
    RevisionRecorder revisions,
    TimeProvider clock,
    ILogger<ChangeSubmissionService> logger)
{
    public async Task<Change> SubmitAsync(SubmitChangeRequest request, string submittedBy, CancellationToken cancellationToken, DateTimeOffset? submittedAt = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var files = request.Files!.Select(f => new IncomingFile(f!.Path!, f.OldContent, f.NewContent,
            IsBinary: StorableText.IsBinary(f.OldContent) || StorableText.IsBinary(f.NewContent))).ToList();
        var provenance = request.ToBundle();
        var revision = revisions.Build(1, headSha: null, baseSha: null, files, provenance.Prompt, provenance);
        var change = new Change
        {
            Title = request.Title!.Trim(),
            Repository = request.Repository!.Trim(),
            Author = request.Author!.Trim(),
            SubmittedBy = submittedBy,
            SubmittedAt = submittedAt ?? clock.GetUtcNow(),
            Origin = ChangeOrigin.Api,
            State = ChangeState.Pending,
            RuleSetVersion = revision.RuleSetVersion,
        };
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        change.ApplySubmittedProvenance(provenance, await revisions.ProvenanceUpdateAsync(db, change, $"submitted by {submittedBy}", cancellationToken));
        revisions.Apply(change, revision);
        db.Changes.Add(change);
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Change {ChangeId} '{Title}' from {SubmittedBy} scored {Score} (tier {Tier}, rules {RuleSetVersion}).",
            change.Id, change.Title, submittedBy, change.RiskScore, (int)change.Tier, change.RuleSetVersion);
        return change;
    }
}
