using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Scm;

namespace ReviewPortal.Web.Features.Ingest.Webhooks;

/// <summary>
/// Processes stored webhook deliveries in the background. A claim takes a batch with FOR UPDATE SKIP LOCKED (so
/// several portal instances share the work) and leases it for five minutes: a worker that dies mid-way leaves its
/// deliveries to be claimed again after the lease, so a restart loses nothing. Failures back off durably in the
/// table (attempt count and next attempt time), not in memory.
/// </summary>
public sealed class InboxWorker(
    IServiceScopeFactory scopes,
    IDbContextFactory<PortalDbContext> dbFactory,
    InboxSignal signal,
    TimeProvider clock,
    ILogger<InboxWorker> logger) : BackgroundService
{
    public const int MaxAttempts = 8;
    private const int BatchSize = 8;
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan IdlePoll = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var processed = await ProcessBatchAsync(stoppingToken);
                if (processed == 0)
                {
                    await signal.WaitAsync(IdlePoll, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The database itself failed (a claim or a status write): wait and go on; nothing is lost.
                logger.LogError(ex, "The webhook inbox could not be read.");
                await Task.Delay(IdlePoll, clock, stoppingToken);
            }
        }
    }

    /// <summary>Claims and processes one batch; returns how many deliveries it took.</summary>
    public async Task<int> ProcessBatchAsync(CancellationToken cancellationToken)
    {
        var claimed = await ClaimAsync(cancellationToken);
        foreach (var delivery in claimed)
        {
            await ProcessAsync(delivery, cancellationToken);
        }

        return claimed.Count;
    }

    private async Task<List<WebhookDelivery>> ClaimAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var leaseUntil = clock.GetUtcNow() + Lease;
        return await db.WebhookDeliveries.FromSql($"""
                UPDATE webhook_deliveries SET "Attempts" = "Attempts" + 1, "NextAttemptAt" = {leaseUntil}
                WHERE "Id" IN (
                    SELECT "Id" FROM webhook_deliveries
                    WHERE "Status" = 'Pending' AND "NextAttemptAt" <= now()
                    ORDER BY "Id" LIMIT {BatchSize}
                    FOR UPDATE SKIP LOCKED)
                RETURNING *
                """).AsNoTracking().ToListAsync(cancellationToken);
    }

    private async Task ProcessAsync(WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var repository = await db.Repositories.AsNoTracking().FirstAsync(r => r.Id == delivery.RepositoryId, cancellationToken);
            long? changeId = delivery.Provider switch
            {
                ScmProvider.GitHub => await scope.ServiceProvider.GetRequiredService<GitHubDeliveryProcessor>().ProcessAsync(delivery, repository, cancellationToken),
                ScmProvider.GitLab => await scope.ServiceProvider.GetRequiredService<GitLabDeliveryProcessor>().ProcessAsync(delivery, repository, cancellationToken),
                _ => null,
            };
            await CompleteAsync(delivery.Id, DeliveryStatus.Done, null, changeId, null, cancellationToken);
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException)
        {
            // The SCM sent something we cannot read: retrying cannot help.
            logger.LogError(ex, "Delivery {DeliveryId} ({Provider}) cannot be processed.", delivery.DeliveryId, delivery.Provider);
            await CompleteAsync(delivery.Id, DeliveryStatus.Failed, ex.Message, null, null, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            var giveUp = delivery.Attempts >= MaxAttempts;
            var retryAt = ex is ScmRateLimitedException limited ? limited.RetryAt : clock.GetUtcNow() + Backoff(delivery.Attempts);
            logger.LogWarning(ex, "Delivery {DeliveryId} ({Provider}) failed on attempt {Attempt}{Outcome}.",
                delivery.DeliveryId, delivery.Provider, delivery.Attempts, giveUp ? "; giving up" : $"; next attempt at {retryAt:u}");
            await CompleteAsync(delivery.Id, giveUp ? DeliveryStatus.Failed : DeliveryStatus.Pending, ex.Message, null, retryAt, cancellationToken);
        }
    }

    /// <summary>10 s, 20 s, 40 s ... capped at 30 minutes.</summary>
    public static TimeSpan Backoff(int attempts) => TimeSpan.FromSeconds(Math.Min(1800, 10 * Math.Pow(2, Math.Max(0, attempts - 1))));

    private async Task CompleteAsync(long id, DeliveryStatus status, string? error, long? changeId, DateTimeOffset? retryAt, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow();
        DateTimeOffset? processedAt = status == DeliveryStatus.Pending ? null : now;
        var lastError = error is { Length: > 4000 } ? error[..4000] : error;
        var nextAttemptAt = retryAt ?? now;
        await db.WebhookDeliveries.Where(d => d.Id == id).ExecuteUpdateAsync(set => set
            .SetProperty(d => d.Status, status)
            .SetProperty(d => d.LastError, lastError)
            .SetProperty(d => d.ChangeId, changeId)
            .SetProperty(d => d.ProcessedAt, processedAt)
            .SetProperty(d => d.NextAttemptAt, nextAttemptAt), cancellationToken);
    }
}
