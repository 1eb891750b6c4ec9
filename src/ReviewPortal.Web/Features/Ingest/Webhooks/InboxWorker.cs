using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using ReviewPortal.Domain.Text;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Infrastructure;
using ReviewPortal.Web.Scm;

namespace ReviewPortal.Web.Features.Ingest.Webhooks;

/// <summary>
/// Processes stored webhook deliveries in the background. A claim takes a batch with FOR UPDATE SKIP LOCKED (so
/// several portal instances share the work) and leases it for five minutes: a worker that dies mid-way leaves its
/// deliveries to be claimed again after the lease, so a restart loses nothing. Failures back off durably in the
/// table (attempt count and next attempt time), not in memory. Only transient failures are retried; a permanent one
/// (<see cref="IsPermanent"/>) ends the delivery at once as <see cref="DeliveryStatus.Failed"/> with its reason in
/// <see cref="WebhookDelivery.LastError"/>, which admins read at <c>GET /api/admin/webhook-deliveries</c>.
/// </summary>
public sealed class InboxWorker(
    IServiceScopeFactory scopes,
    IDbContextFactory<PortalDbContext> dbFactory,
    InboxSignal signal,
    TimeProvider clock,
    ILogger<InboxWorker> logger) : BackgroundService
{
    public const int MaxAttempts = 8;

    /// <summary>How <see cref="WebhookDelivery.LastError"/> starts when the delivery was stopped at once, not retried.</summary>
    public const string PermanentPrefix = "Permanent failure: ";

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
        catch (Exception ex) when (PermanentCause(ex) is { } cause)
        {
            logger.LogError(ex, "Delivery {DeliveryId} ({Provider}) failed permanently and will not be retried: {Reason}", delivery.DeliveryId, delivery.Provider, cause.Message);
            await CompleteAsync(delivery.Id, DeliveryStatus.Failed, $"{PermanentPrefix}{cause.Message}", null, null, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            var giveUp = delivery.Attempts >= MaxAttempts;
            var retryAt = ex is ScmRateLimitedException limited ? limited.RetryAt : clock.GetUtcNow() + Backoff(delivery.Attempts);
            logger.LogWarning(ex, "Delivery {DeliveryId} ({Provider}) failed on attempt {Attempt}{Outcome}.",
                delivery.DeliveryId, delivery.Provider, delivery.Attempts, giveUp ? "; giving up" : $"; next attempt at {retryAt:u}");
            await CompleteAsync(delivery.Id, giveUp ? DeliveryStatus.Failed : DeliveryStatus.Pending,
                giveUp ? $"Gave up after {delivery.Attempts} attempts: {ex.Message}" : ex.Message, null, retryAt, cancellationToken);
        }
    }

    /// <summary>
    /// Failures that repeat however often the delivery is tried, by type: raised as permanent where that is known (a
    /// payload of the wrong shape, an SCM's 4xx), an unreadable SCM answer, or data PostgreSQL refuses (class 22, such
    /// as 22001 for a value too long; <see cref="ChangeIngestor"/> repairs unstorable text before it gets there).
    /// Anything else, 5xx, time-outs and 429 included, is transient.
    /// </summary>
    public static bool IsPermanent(Exception exception) => PermanentCause(exception) is not null;

    /// <summary>
    /// The exception in the chain that makes the failure permanent, or null: its message is the reason (an EF
    /// <c>DbUpdateException</c> says only "see the inner exception"; PostgreSQL's says what it refused).
    /// </summary>
    private static Exception? PermanentCause(Exception exception)
    {
        for (var ex = exception; ex is not null; ex = ex.InnerException)
        {
            if (ex is PermanentFailureException or JsonException or InvalidDataException or EncoderFallbackException
                || (ex is PostgresException postgres && postgres.SqlState.StartsWith("22", StringComparison.Ordinal)))
            {
                return ex;
            }
        }

        return null;
    }

    /// <summary>10 s, 20 s, 40 s ... capped at 30 minutes.</summary>
    public static TimeSpan Backoff(int attempts) => TimeSpan.FromSeconds(Math.Min(1800, 10 * Math.Pow(2, Math.Max(0, attempts - 1))));

    private async Task CompleteAsync(long id, DeliveryStatus status, string? error, long? changeId, DateTimeOffset? retryAt, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow();
        DateTimeOffset? processedAt = status == DeliveryStatus.Pending ? null : now;
        var lastError = StorableText.Repair(StorableText.Truncate(error, 4000));
        var nextAttemptAt = retryAt ?? now;
        await db.WebhookDeliveries.Where(d => d.Id == id).ExecuteUpdateAsync(set => set
            .SetProperty(d => d.Status, status)
            .SetProperty(d => d.LastError, lastError)
            .SetProperty(d => d.ChangeId, changeId)
            .SetProperty(d => d.ProcessedAt, processedAt)
            .SetProperty(d => d.NextAttemptAt, nextAttemptAt), cancellationToken);
    }
}
