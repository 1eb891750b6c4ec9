using Npgsql;
using NpgsqlTypes;
using ReviewPortal.Web.Data;

namespace ReviewPortal.Web.Features.Ingest.Webhooks;

/// <summary>Stores a raw delivery in the inbox, once: a redelivery with the same id for the same repository is a no-op.</summary>
public sealed class InboxWriter(NpgsqlDataSource dataSource, InboxSignal signal)
{
    /// <summary>Stores the delivery; true when stored, false when this delivery id was already there.</summary>
    public async Task<bool> StoreAsync(long repositoryId, ScmProvider provider, string deliveryId, string eventType, string payload, CancellationToken cancellationToken)
    {
        // An explicitly opened pooled connection, not NpgsqlDataSource.CreateCommand: under 500 deliveries/s the
        // data-source command path stalled (p50 of seconds with PostgreSQL idle), this one holds (docs/benchmarks).
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

/// <summary>Wakes the inbox worker as soon as a delivery is stored, instead of waiting for its next poll.</summary>
public sealed class InboxSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        if (_signal.CurrentCount == 0)
        {
            try
            {
                _signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another request woke the worker at the same moment; one wake-up is enough.
            }
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);
}
