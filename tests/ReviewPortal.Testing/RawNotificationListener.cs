using Npgsql;
using ReviewPortal.Web.Infrastructure.Notifications;

namespace ReviewPortal.Testing;

/// <summary>
/// LISTENs on <see cref="ChangeNotifier.Channel"/> with a plain connection of its own, outside any portal, and keeps
/// every payload exactly as PostgreSQL delivered it: tests count notifications with it, without the portal in between.
/// </summary>
public sealed class RawNotificationListener : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    private RawNotificationListener(NpgsqlConnection connection) => _connection = connection;

    public NotificationLog<string> Payloads { get; } = new();

    public static async Task<RawNotificationListener> StartAsync(string connectionString)
    {
        // Its own pool-less connection: LISTEN is per session.
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        var listener = new RawNotificationListener(connection);
        connection.Notification += (_, args) => listener.Payloads.Add(args.Payload);
        await using (var listen = new NpgsqlCommand($"LISTEN {ChangeNotifier.Channel}", connection))
        {
            await listen.ExecuteNonQueryAsync();
        }

        listener._loop = listener.WaitLoopAsync();
        return listener;
    }

    private async Task WaitLoopAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                await _connection.WaitAsync(_stop.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        await _connection.DisposeAsync();
        _stop.Dispose();
    }
}
