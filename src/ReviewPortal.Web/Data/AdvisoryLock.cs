using Npgsql;

namespace ReviewPortal.Web.Data;

/// <summary>
/// A PostgreSQL session-level advisory lock that instances starting together on one database take turns on, so that
/// one migrates and seeds while the others wait, then find nothing left to do. EF Core's own migration lock does not
/// keep two instances' migrations apart here (both ran the same migration and failed), and the seeding checks
/// ("does this role exist? then create it") race just the same.
/// </summary>
public sealed class StartupLock : IAsyncDisposable
{
    // pg_advisory_lock(int, int): "PORT", then 1 for start-up.
    private const int Namespace = 0x504F5254;
    private const int StartupKey = 1;

    private readonly NpgsqlConnection _connection;
    private readonly ILogger _logger;
    private int _released;

    private StartupLock(NpgsqlConnection connection, ILogger logger)
    {
        _connection = connection;
        _logger = logger;
    }

    /// <summary>Waits until no other instance holds the start-up lock, then holds it until released.</summary>
    public static async Task<StartupLock> AcquireAsync(NpgsqlDataSource dataSource, ILogger logger, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(logger);
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            if (!await RunAsync(connection, "pg_try_advisory_lock", cancellationToken))
            {
                logger.LogInformation("Another portal instance is migrating or seeding the database; waiting for it to finish.");
                await RunAsync(connection, "pg_advisory_lock", cancellationToken);
            }
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        return new StartupLock(connection, logger);
    }

    /// <summary>Releases the lock (once; later calls do nothing).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _released, 1) == 1)
        {
            return;
        }

        try
        {
            // Explicitly: a pooled connection keeps its session, and so the lock, until it is used again.
            await RunAsync(_connection, "pg_advisory_unlock", CancellationToken.None);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            _logger.LogWarning(ex, "Releasing the start-up lock failed; it ended with its connection.");
        }
        finally
        {
            await _connection.DisposeAsync();
        }
    }

    private static async Task<bool> RunAsync(NpgsqlConnection connection, string function, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT {function}(@namespace, @key)", connection);
        command.Parameters.AddWithValue("namespace", Namespace);
        command.Parameters.AddWithValue("key", StartupKey);
        // pg_advisory_lock returns void, which reads as DBNull: it only returns once the lock is held.
        return await command.ExecuteScalarAsync(cancellationToken) is not false;
    }
}
