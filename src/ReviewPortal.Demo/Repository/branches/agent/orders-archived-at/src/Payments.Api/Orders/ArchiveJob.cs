using Npgsql;

namespace Orders.Archiving;

public sealed class ArchiveJob(NpgsqlDataSource db, ILogger<ArchiveJob> logger)
{
    public async Task RunAsync(CancellationToken ct)
    {
        int updated;
        do
        {
            await using var cmd = db.CreateCommand("""
                UPDATE orders SET archived_at = now()
                WHERE id IN (SELECT id FROM orders WHERE archived_at IS NULL AND closed_at < now() - interval '18 months' LIMIT 1000)
                """);
            updated = await cmd.ExecuteNonQueryAsync(ct);
            logger.LogInformation("Archived {Count} orders", updated);
        }
        while (updated > 0);
    }
}