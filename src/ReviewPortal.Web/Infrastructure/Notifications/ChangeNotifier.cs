using System.Collections.Frozen;
using System.Data;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using ReviewPortal.Domain.Risk;

namespace ReviewPortal.Web.Infrastructure.Notifications;

/// <summary>
/// Tells every portal instance that a change moved, through PostgreSQL NOTIFY on <see cref="Channel"/>. Inside a
/// transaction PostgreSQL delivers the notification only at commit (and never after a rollback), so listeners never
/// see uncommitted state. Writes through EF Core's change tracker notify by themselves
/// (<see cref="ChangeNotificationInterceptor"/>); only writes that bypass it (raw SQL, ExecuteUpdate) call this.
/// </summary>
public sealed class ChangeNotifier(NpgsqlDataSource dataSource, ILogger<ChangeNotifier> logger)
{
    public const string Channel = "portal_changes";

    private static readonly FrozenDictionary<string, ChangeActivity> ActivitiesByName =
        Enum.GetValues<ChangeActivity>().ToFrozenDictionary(a => a.ToString(), StringComparer.Ordinal);

    /// <summary>
    /// Payload: "{changeId}:{activity}" (e.g. "42:Decided"), or with the change's audience
    /// "{changeId}:{activity}:{tier}:{submittedBy}" (e.g. "42:Decided:4:ci-agent"); well under PostgreSQL's 8000-byte
    /// limit (a client name is at most 200 characters).
    /// </summary>
    public static string Format(ChangeNotification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        return notification.Audience is { } audience
            ? string.Create(CultureInfo.InvariantCulture, $"{notification.ChangeId}:{notification.Activity}:{(int)audience.Tier}:{audience.SubmittedBy}")
            : string.Create(CultureInfo.InvariantCulture, $"{notification.ChangeId}:{notification.Activity}");
    }

    /// <summary>
    /// The notification <paramref name="payload"/> carries, or null for anything <see cref="Format"/> cannot have
    /// produced (another program's NOTIFY on the channel, a newer instance's activity this one does not know). Never throws.
    /// </summary>
    public static ChangeNotification? Parse(string? payload)
    {
        if (string.IsNullOrEmpty(payload))
        {
            return null;
        }

        var separator = payload.IndexOf(':', StringComparison.Ordinal);
        if (separator <= 0 || separator > 19 || (payload[0] == '0' && separator > 1))
        {
            // Canonical form only (no leading zeros): a payload parses exactly when Format could have written it.
            return null;
        }

        var digits = payload.AsSpan(0, separator);
        foreach (var digit in digits)
        {
            if (!char.IsAsciiDigit(digit))
            {
                return null;
            }
        }

        var rest = payload[(separator + 1)..];
        ChangeAudience? audience = null;
        if (rest.IndexOf(':', StringComparison.Ordinal) is var audienceAt and >= 0)
        {
            // "{tier}:{submittedBy}": one digit of a tier, then the client name as it is (it may hold colons).
            var tail = rest[(audienceAt + 1)..];
            if (tail.Length < 2 || tail[1] != ':' || tail[0] is < '1' or > '4')
            {
                return null;
            }

            audience = new ChangeAudience((RiskTier)(tail[0] - '0'), tail[2..]);
            rest = rest[..audienceAt];
        }

        return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
               && ActivitiesByName.TryGetValue(rest, out var activity)
            ? new ChangeNotification(id, activity, audience)
            : null;
    }

    /// <summary>
    /// Notifies on a connection of its own, outside any transaction: for a raw-SQL write that has already committed.
    /// A failure is logged, never thrown (the write itself stands; pages catch up on their next reload).
    /// </summary>
    public async Task NotifyAsync(ChangeNotification notification, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notification);
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await SendAsync(connection, [notification], cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            logger.LogWarning(ex, "Could not notify other instances of {Activity} on change {ChangeId}.", notification.Activity, notification.ChangeId);
        }
    }

    /// <summary>
    /// Notifies on <paramref name="db"/>'s connection, inside its current transaction if it has one: PostgreSQL then
    /// delivers at commit, and a rollback notifies nobody. For raw-SQL writes (ExecuteUpdate, FromSql) made inside a
    /// transaction. Failures are thrown, as any other statement of the transaction would be.
    /// </summary>
    public static async Task NotifyAsync(DbContext db, IReadOnlyCollection<ChangeNotification> notifications, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(notifications);
        if (notifications.Count == 0)
        {
            return;
        }

        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var opened = connection.State != ConnectionState.Open;
        if (opened)
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
        }

        try
        {
            await SendAsync(connection, notifications, cancellationToken);
        }
        finally
        {
            if (opened)
            {
                await db.Database.CloseConnectionAsync();
            }
        }
    }

    /// <summary>One round trip for any number of notifications; PostgreSQL drops duplicates within a transaction.</summary>
    internal static async Task SendAsync(NpgsqlConnection connection, IReadOnlyCollection<ChangeNotification> notifications, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_notify(@channel, payload) FROM unnest(@payloads) AS payload", connection);
        command.Parameters.AddWithValue("channel", Channel);
        command.Parameters.AddWithValue("payloads", notifications.Select(Format).ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    internal static void Send(NpgsqlConnection connection, IReadOnlyCollection<ChangeNotification> notifications)
    {
        using var command = new NpgsqlCommand("SELECT pg_notify(@channel, payload) FROM unnest(@payloads) AS payload", connection);
        command.Parameters.AddWithValue("channel", Channel);
        command.Parameters.AddWithValue("payloads", notifications.Select(Format).ToArray());
        command.ExecuteNonQuery();
    }
}
