using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace ReviewPortal.Web.Infrastructure.Notifications;

/// <summary>
/// Holds one connection per instance that LISTENs on <see cref="ChangeNotifier.Channel"/> and hands every notification
/// to the <see cref="ChangeFeed"/>. A lost connection (database restart, network, pg_terminate_backend) is opened again
/// with backoff; since PostgreSQL keeps nothing for a listener that was away, the feed then gets one
/// <see cref="ChangeNotification.Resync"/> and every live page reloads once.
/// </summary>
public sealed class ChangeListener(NpgsqlDataSource dataSource, ChangeFeed feed, TimeProvider clock, ILogger<ChangeListener> logger) : BackgroundService
{
    /// <summary>A quiet connection is checked this often: a dead peer may never raise an error on a connection that only waits.</summary>
    public static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(30);

    private int _backendProcessId;
    private int _reconnects;
    private volatile bool _failing;

    /// <summary>Whether notifications reach this instance right now.</summary>
    public bool IsListening => BackendProcessId != 0;

    /// <summary>The PostgreSQL backend of the listening connection; 0 while not listening.</summary>
    public int BackendProcessId => Volatile.Read(ref _backendProcessId);

    /// <summary>Whether the listener lost its connection (or never got one) and has not yet got it back.</summary>
    public bool IsReconnecting => _failing;

    /// <summary>How often the listener has come back after losing its connection.</summary>
    public int Reconnects => Volatile.Read(ref _reconnects);

    /// <summary>250 ms, 500 ms, 1 s ... capped at 15 s: fast after a blip, gentle on a database that is down.</summary>
    public static TimeSpan Backoff(int failures) =>
        TimeSpan.FromMilliseconds(Math.Min(15_000, 250 * Math.Pow(2, Math.Clamp(failures - 1, 0, 16))));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(resync: failures > 0, () => failures = 0, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                Volatile.Write(ref _backendProcessId, 0);
                _failing = true;
                failures++;
                var delay = Backoff(failures);
                logger.LogWarning(ex, "Live updates paused: the LISTEN connection failed ({Reason}); reconnecting in {Delay} ms (attempt {Attempt}).",
                    ex.Message, delay.TotalMilliseconds, failures);
                try
                {
                    await Task.Delay(delay, clock, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task ListenAsync(bool resync, Action listening, CancellationToken stoppingToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
        connection.Notification += OnNotification;
        try
        {
            await using (var listen = new NpgsqlCommand($"LISTEN {ChangeNotifier.Channel}", connection))
            {
                await listen.ExecuteNonQueryAsync(stoppingToken);
            }

            Volatile.Write(ref _backendProcessId, connection.ProcessID);
            _failing = false;
            listening();
            if (resync)
            {
                Interlocked.Increment(ref _reconnects);
                logger.LogInformation("Live updates resumed on {Channel} (backend {Backend}); open pages reload once for what was missed.", ChangeNotifier.Channel, connection.ProcessID);
                feed.Publish(ChangeNotification.Resync);
            }
            else
            {
                logger.LogInformation("Listening for change notifications on {Channel} (backend {Backend}).", ChangeNotifier.Channel, connection.ProcessID);
            }

            while (true)
            {
                if (!await connection.WaitAsync(KeepAlive, stoppingToken))
                {
                    await using var ping = new NpgsqlCommand("SELECT 1", connection);
                    await ping.ExecuteNonQueryAsync(stoppingToken);
                }
            }
        }
        finally
        {
            Volatile.Write(ref _backendProcessId, 0);
            connection.Notification -= OnNotification;
            await StopListeningAsync(connection);
        }
    }

    // A healthy connection goes back to the pool: it must not go on receiving notifications there.
    private async Task StopListeningAsync(NpgsqlConnection connection)
    {
        if (connection.FullState != System.Data.ConnectionState.Open)
        {
            return;
        }

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2), clock);
            await using var unlisten = new NpgsqlCommand("UNLISTEN *", connection);
            await unlisten.ExecuteNonQueryAsync(timeout.Token);
        }
        catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException or InvalidOperationException or TimeoutException)
        {
            logger.LogDebug(ex, "UNLISTEN failed; the connection is discarded.");
        }
    }

    private void OnNotification(object sender, NpgsqlNotificationEventArgs args)
    {
        if (!string.Equals(args.Channel, ChangeNotifier.Channel, StringComparison.Ordinal))
        {
            return;
        }

        if (ChangeNotifier.Parse(args.Payload) is { } notification)
        {
            feed.Publish(notification);
        }
        else
        {
            logger.LogWarning("Ignored a notification on {Channel} this portal did not send: '{Payload}'.", ChangeNotifier.Channel,
                args.Payload.Length > 100 ? args.Payload[..100] + "…" : args.Payload);
        }
    }
}

/// <summary>
/// Degraded while live updates are paused (the listener lost its connection and is reconnecting): pages still work,
/// they just do not update by themselves. The first connect at start-up, a matter of milliseconds, counts as healthy.
/// </summary>
public sealed class ChangeListenerHealthCheck(ChangeListener listener) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(listener.IsReconnecting
            ? HealthCheckResult.Degraded($"Live updates paused: not listening for change notifications, reconnecting ({listener.Reconnects} reconnects so far).")
            : HealthCheckResult.Healthy());
}
