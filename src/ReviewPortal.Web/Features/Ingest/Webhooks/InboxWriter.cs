using Npgsql;
using NpgsqlTypes;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Infrastructure;

namespace ReviewPortal.Web.Features.Ingest.Webhooks;

/// <summary>Stores a raw delivery in the inbox, once: a redelivery with the same id for the same repository is a no-op.</summary>
public sealed class InboxWriter(NpgsqlDataSource dataSource, InboxSignal signal)
{
    // Backpressure: a few inserts at a time keep up with far more than 500 deliveries/s, while letting every
    // waiting request take a connection makes the pool (and PostgreSQL's backends) grow under a burst until the
    // server falls behind for good. Waiting here is cheap; it is a queue in memory.
    private readonly SemaphoreSlim _concurrentInserts = new(8, 8);

    /// <summary>Stores the delivery; true when stored, false when this delivery id was already there.</summary>
    public async Task<bool> StoreAsync(long repositoryId, ScmProvider provider, string deliveryId, string eventType, string payload, CancellationToken cancellationToken)
    {
        await _concurrentInserts.WaitAsync(cancellationToken);
        try
        {
            return await InsertAsync(repositoryId, provider, deliveryId, eventType, payload, cancellationToken);
        }
        finally
        {
            _concurrentInserts.Release();
        }
    }

    private async Task<bool> InsertAsync(long repositoryId, ScmProvider provider, string deliveryId, string eventType, string payload, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            INSERT INTO webhook_deliveries ("RepositoryId", "Provider", "DeliveryId", "EventType", "Payload", "ReceivedAt", "Status", "Attempts", "NextAttemptAt")
            VALUES ($1, $2, $3, $4, $5, now(), 'Pending', 0, now())
            ON CONFLICT ("RepositoryId", "DeliveryId") DO NOTHING
            """, connection);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = repositoryId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = provider.ToString() });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = deliveryId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = eventType });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = payload, NpgsqlDbType = NpgsqlDbType.Text });
        var stored = await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        if (stored)
        {
            signal.Notify();
        }

        return stored;
    }
}

/// <summary>Wakes the inbox worker as soon as a delivery is stored (its own type, so the container hands it to the inbox only).</summary>
public sealed class InboxSignal : WorkSignal;
