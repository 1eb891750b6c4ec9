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
    private static readonly TimeSpan WaitRound = TimeSpan.FromMilliseconds(200);

    private Task _loop = Task.CompletedTask;
    private bool _stopped;

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

    // Waits in short rounds and never cancels a wait: cancelling NpgsqlConnection.WaitAsync can deadlock
    // (npgsql/npgsql#5975), which hung a test run in DisposeAsync. A round ends on a notification or when it
    // times out, and the loop stops at the first round after disposal.
    private async Task WaitLoopAsync()
    {
        while (!Volatile.Read(ref _stopped))
        {
            await _connection.WaitAsync(WaitRound);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Volatile.Write(ref _stopped, true);
        await _loop;
        await _connection.DisposeAsync();
    }
}
