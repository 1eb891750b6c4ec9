using Microsoft.EntityFrameworkCore;
using ReviewPortal.Web.Data;

namespace ReviewPortal.Web.Infrastructure.Security;

/// <summary>Records <see cref="SecurityEvent"/>s and lists them for admins.</summary>
public sealed class SecurityEventLog(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock, ILogger<SecurityEventLog> logger)
{
    public const int Limit = 200;

    /// <summary>Records one event now, from the request's remote address when there is a request.</summary>
    public async Task RecordAsync(SecurityEventKind kind, string userName, string? userId, string? detail, HttpContext? http, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userName);
        var remote = http?.Connection.RemoteIpAddress?.ToString();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.SecurityEvents.Add(new SecurityEvent
        {
            At = clock.GetUtcNow(),
            Kind = kind,
            UserId = userId,
            UserName = Truncate(userName, 256),
            Detail = detail is null ? null : Truncate(detail, 1000),
            RemoteAddress = remote,
        });
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Security event {Kind} for {UserName} from {Remote}: {Detail}", kind, userName, remote, detail);
    }

    /// <summary>The newest <see cref="Limit"/> events, newest first; only the given kinds when any are given.</summary>
    public async Task<List<SecurityEvent>> ListAsync(IReadOnlyCollection<SecurityEventKind>? kinds = null, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var events = db.SecurityEvents.AsNoTracking();
        if (kinds is { Count: > 0 })
        {
            events = events.Where(e => kinds.Contains(e.Kind));
        }

        return await events.OrderByDescending(e => e.At).ThenByDescending(e => e.Id).Take(Limit).ToListAsync(cancellationToken);
    }

    // A user name comes from the sign-in form: whatever was typed must still be recordable.
    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];
}
