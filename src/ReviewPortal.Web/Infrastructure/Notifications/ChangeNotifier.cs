using Npgsql;

namespace ReviewPortal.Web.Infrastructure.Notifications;

/// <summary>
/// Tells every portal instance that a change moved, through PostgreSQL NOTIFY on <see cref="Channel"/>. Inside a
/// transaction PostgreSQL delivers the notification only at commit, so listeners never see uncommitted state.
/// </summary>
public sealed class ChangeNotifier(NpgsqlDataSource dataSource, ILogger<ChangeNotifier> logger)
{
    public const string Channel = "portal_changes";

    /// <summary>Payload: "{changeId}:{activity}", well under PostgreSQL's 8000-byte limit.</summary>
    public static string Format(ChangeNotification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        return $"{notification.ChangeId}:{notification.Activity}";
    }

    public static ChangeNotification? Parse(string payload)
    {
        var separator = payload?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        return separator > 0
               && long.TryParse(payload.AsSpan(0, separator), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id)
               && Enum.TryParse<ChangeActivity>(payload.AsSpan(separator + 1), ignoreCase: false, out var activity)
               && Enum.IsDefined(activity)
            ? new ChangeNotification(id, activity)
            : null;
    }

    /// <summary>Notifies on a connection of its own (outside any transaction); a failure is logged, never thrown.</summary>
    public async Task NotifyAsync(ChangeNotification notification, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var command = dataSource.CreateCommand("SELECT pg_notify(@channel, @payload)");
            command.Parameters.AddWithValue("channel", Channel);
            command.Parameters.AddWithValue("payload", Format(notification));
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            // The change itself is committed; open pages catch up on their next reload.
            logger.LogWarning(ex, "Could not notify other instances of {Activity} on change {ChangeId}.", notification.Activity, notification.ChangeId);
        }
    }
}
