using Npgsql;

namespace ReviewPortal.Web.Data;

/// <summary>
/// A PostgreSQL session-level advisory lock (<c>pg_advisory_lock(namespace, key)</c>) held on a connection of its own
/// until disposed: portal instances on one database take turns on it. Instances starting together take the
/// start-up lock, so that one migrates and seeds while the others wait, then find nothing left to do (EF Core's own
/// migration lock did not keep two instances' migrations apart here, and the seeding checks race just the same);
/// the local git poller takes one per repository.
/// </summary>
public sealed class AdvisoryLock : IAsyncDisposable
{
    /// <summary>"PORT": the start-up lock's namespace; its key is <see cref="StartupKey"/>.</summary>
    public const int StartupNamespace = 0x504F5254;
    public const int StartupKey = 1;

    private readonly NpgsqlConnection _connection;
    private readonly int _namespace;
    private readonly int _key;
    private readonly string _purpose;
    private readonly ILogger _logger;
    private int _released;

    private AdvisoryLock(NpgsqlConnection connection, int @namespace, int key, string purpose, ILogger logger)
    {
        _connection = connection;
        _namespace = @namespace;
        _key = key;
        _purpose = purpose;
        _logger = logger;
    }

    /// <summary>
    /// Waits until no other session holds the lock, then holds it until disposed. <paramref name="purpose"/> names it
    /// in the log ("the start-up lock"), where a wait for another instance is reported.
    /// </summary>
    public static async Task<AdvisoryLock> AcquireAsync(NpgsqlDataSource dataSource, int @namespace, int key, string purpose, ILogger logger, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(logger);
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            if (!await RunAsync(connection, "pg_try_advisory_lock", @namespace, key, cancellationToken))
            {
                logger.LogInformation("Another portal instance holds {Purpose}; waiting for it to finish.", purpose);
                await RunAsync(connection, "pg_advisory_lock", @namespace, key, cancellationToken);
            }
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        return new AdvisoryLock(connection, @namespace, key, purpose, logger);
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
            await RunAsync(_connection, "pg_advisory_unlock", _namespace, _key, CancellationToken.None);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            // A connection that broke has lost its session, and the lock with it.
            _logger.LogWarning(ex, "Releasing {Purpose} failed; it ended with its connection.", _purpose);
        }
        finally
        {
            await _connection.DisposeAsync();
        }
    }

    private static async Task<bool> RunAsync(NpgsqlConnection connection, string function, int @namespace, int key, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT {function}(@namespace, @key)", connection);
        command.Parameters.AddWithValue("namespace", @namespace);
        command.Parameters.AddWithValue("key", key);
        // pg_advisory_lock returns void, which reads as DBNull: it only returns once the lock is held.
        return await command.ExecuteScalarAsync(cancellationToken) is not false;
    }
}
