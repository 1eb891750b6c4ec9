using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Infrastructure.Security;

namespace ReviewPortal.Web.Features.Ingest.Webhooks;

public sealed record WebhookTarget(long RepositoryId, ScmProvider Provider, byte[] Secret);

/// <summary>
/// The decrypted webhook secret of each registered repository, cached briefly: every delivery needs it before its
/// body is read, and a database read plus a decryption per delivery would dominate the acknowledgement time.
/// </summary>
public sealed class WebhookSecretCache(IDbContextFactory<PortalDbContext> dbFactory, SecretProtector secrets, IMemoryCache cache)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    /// <summary>The active repository with this id and provider, or null when there is none.</summary>
    public async Task<WebhookTarget?> FindAsync(long repositoryId, ScmProvider provider, CancellationToken cancellationToken)
    {
        if (cache.TryGetValue((repositoryId, provider), out WebhookTarget? cached))
        {
            return cached;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var repository = await db.Repositories.AsNoTracking()
            .Where(r => r.Id == repositoryId && r.Provider == provider && r.IsActive)
            .Select(r => new { r.Id, r.ProtectedWebhookSecret })
            .FirstOrDefaultAsync(cancellationToken);
        var target = repository?.ProtectedWebhookSecret is { } protectedSecret
            ? new WebhookTarget(repository.Id, provider, Encoding.UTF8.GetBytes(secrets.Unprotect(protectedSecret)))
            : null;
        cache.Set((repositoryId, provider), target, Lifetime);
        return target;
    }
}
