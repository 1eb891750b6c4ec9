using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using ReviewPortal.Web.Data;

namespace ReviewPortal.Web.Features.Account.SingleSignOn;

/// <summary>
/// The sign-ins through a provider that the portal keeps checking (<see cref="ProviderSessionRefresher"/>): started
/// at the sign-in with the provider's refresh token (encrypted at rest), ended at the sign-out or when the provider no
/// longer knows the person.
/// </summary>
public sealed class ProviderSessions(IDbContextFactory<PortalDbContext> dbFactory, IDataProtectionProvider protection, TimeProvider clock)
{
    private readonly IDataProtector _tokens = protection.CreateProtector("ReviewPortal.ProviderRefreshTokens.v1");

    /// <summary>Keeps a new sign-in's refresh token; the first re-read is one interval after the sign-in.</summary>
    public async Task<Guid> StartAsync(string userId, string scheme, string subject, string refreshToken, TimeSpan interval, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var session = new ProviderSession
        {
            Id = Guid.NewGuid(),
            UserId = userId,
            Scheme = scheme,
            Subject = subject,
            ProtectedRefreshToken = _tokens.Protect(refreshToken),
            SignedInAt = now,
            NextCheckAt = now + interval,
        };
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.ProviderSessions.Add(session);
        await db.SaveChangesAsync(cancellationToken);
        return session.Id;
    }

    public string RefreshTokenOf(ProviderSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        return _tokens.Unprotect(session.ProtectedRefreshToken);
    }

    /// <summary>Records a re-read: the provider's new refresh token (when it rotates them) and the next time to ask.</summary>
    public async Task CheckedAsync(Guid id, string? rotatedRefreshToken, TimeSpan interval, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var protectedToken = rotatedRefreshToken is null ? null : _tokens.Protect(rotatedRefreshToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.ProviderSessions.Where(s => s.Id == id && s.EndedAt == null).ExecuteUpdateAsync(s => s
            .SetProperty(x => x.LastCheckedAt, now)
            .SetProperty(x => x.NextCheckAt, now + interval)
            .SetProperty(x => x.ProtectedRefreshToken, x => protectedToken ?? x.ProtectedRefreshToken), cancellationToken);
    }

    /// <summary>Ends one session (a sign-out); the provider is not asked about it again.</summary>
    public async Task EndAsync(Guid id, string reason, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.ProviderSessions.Where(s => s.Id == id && s.EndedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedAt, now).SetProperty(x => x.EndReason, reason), cancellationToken);
    }

    /// <summary>Ends every open session of <paramref name="userId"/>; returns how many there were.</summary>
    public async Task<int> EndAllAsync(string userId, string reason, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.ProviderSessions.Where(s => s.UserId == userId && s.EndedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedAt, now).SetProperty(x => x.EndReason, reason), cancellationToken);
    }

    /// <summary>
    /// Takes up to <paramref name="batchSize"/> sessions that are due, leasing each for <paramref name="lease"/> so that
    /// no other portal instance takes it meanwhile (<c>FOR UPDATE SKIP LOCKED</c>).
    /// </summary>
    public async Task<List<ProviderSession>> ClaimDueAsync(int batchSize, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        var leaseUntil = clock.GetUtcNow() + lease;
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.ProviderSessions.FromSql($"""
                UPDATE provider_sessions SET "NextCheckAt" = {leaseUntil}
                WHERE "Id" IN (
                    SELECT "Id" FROM provider_sessions
                    WHERE "EndedAt" IS NULL AND "NextCheckAt" <= {now}
                    ORDER BY "NextCheckAt" LIMIT {batchSize}
                    FOR UPDATE SKIP LOCKED)
                RETURNING *
                """).AsNoTracking().ToListAsync(cancellationToken);
    }
}
