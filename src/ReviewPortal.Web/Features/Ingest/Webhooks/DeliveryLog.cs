using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using ReviewPortal.Web.Data;

namespace ReviewPortal.Web.Features.Ingest.Webhooks;

/// <summary>What the inbox did with the deliveries it received, as the admin API and the admin pages show it.</summary>
public sealed class DeliveryLog(IDbContextFactory<PortalDbContext> dbFactory)
{
    /// <summary>At most this many deliveries are listed, newest first.</summary>
    public const int Limit = 200;

    /// <summary>A delivery the worker tried and will try again: still pending, with an attempt behind it.</summary>
    public static readonly Expression<Func<WebhookDelivery, bool>> IsRetrying = d => d.Status == DeliveryStatus.Pending && d.Attempts > 0;

    public Task<List<DeliverySummary>> ListAsync(DeliveryStatus status, CancellationToken cancellationToken = default) =>
        ListAsync(d => d.Status == status, cancellationToken);

    public Task<List<DeliverySummary>> ListRetryingAsync(CancellationToken cancellationToken = default) =>
        ListAsync(IsRetrying, cancellationToken);

    private async Task<List<DeliverySummary>> ListAsync(Expression<Func<WebhookDelivery, bool>> filter, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.WebhookDeliveries.AsNoTracking()
            .Where(filter)
            .OrderByDescending(d => d.Id)
            .Take(Limit)
            .Select(d => new DeliverySummary(d.Id, d.RepositoryId, d.Provider.ToString(), d.DeliveryId, d.EventType, d.Status.ToString(),
                d.Attempts, d.LastError, d.ReceivedAt, d.ProcessedAt, d.NextAttemptAt, d.ChangeId))
            .ToListAsync(cancellationToken);
    }
}
