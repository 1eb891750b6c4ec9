using Microsoft.EntityFrameworkCore;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Features.Ingest.Webhooks;

namespace ReviewPortal.Web.Features.Admin;

/// <summary>The figures the admin overview shows, each read from the database when the page asks.</summary>
public sealed record AdminFigures(
    int Repositories,
    int RepositoriesWithFailedDeliveries,
    string? ActiveRuleSetVersion,
    int ActiveClients,
    int RevokedClients,
    DateTimeOffset? LastClientUse,
    int FailedDeliveries,
    int RetryingDeliveries);

public sealed class AdminOverview(IDbContextFactory<PortalDbContext> dbFactory)
{
    public async Task<AdminFigures> FiguresAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var failed = db.WebhookDeliveries.Where(d => d.Status == DeliveryStatus.Failed);
        return new AdminFigures(
            await db.Repositories.CountAsync(cancellationToken),
            await failed.Select(d => d.RepositoryId).Distinct().CountAsync(cancellationToken),
            await db.RiskRuleSets.Where(r => r.IsActive).Select(r => r.Version).FirstOrDefaultAsync(cancellationToken),
            await db.ApiClients.CountAsync(c => c.RevokedAt == null, cancellationToken),
            await db.ApiClients.CountAsync(c => c.RevokedAt != null, cancellationToken),
            await db.ApiClients.MaxAsync(c => c.LastUsedAt, cancellationToken),
            await failed.CountAsync(cancellationToken),
            await db.WebhookDeliveries.CountAsync(DeliveryLog.IsRetrying, cancellationToken));
    }
}
