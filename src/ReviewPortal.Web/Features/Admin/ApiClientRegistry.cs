using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using ReviewPortal.Web.Data;

namespace ReviewPortal.Web.Features.Admin;

/// <summary>A created client and its key, which is shown once and never stored.</summary>
public sealed record CreatedApiClient(ApiClient Client, string Key);

/// <summary>Per-client API keys: <c>rp_{prefix}_{secret}</c>, stored as a SHA-256 hash and found by the prefix.</summary>
public sealed class ApiClientRegistry(IDbContextFactory<PortalDbContext> dbFactory, IMemoryCache cache, TimeProvider clock, ILogger<ApiClientRegistry> logger)
{
    private static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(30);

    public async Task<CreatedApiClient> CreateAsync(string name, string createdBy, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var prefix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var key = $"rp_{prefix}_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24))}";
        var client = await StoreAsync(name.Trim(), prefix, key, createdBy, cancellationToken);
        return new CreatedApiClient(client, key);
    }

    /// <summary>
    /// Makes <paramref name="key"/> (e.g. from configuration at start-up) a stored, hashed client named
    /// <paramref name="name"/>, replacing that client's earlier key.
    /// </summary>
    public async Task EnsureAsync(string name, string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var existing = await db.ApiClients.FirstOrDefaultAsync(c => c.Name == name, cancellationToken);
        var hash = Hash(key);
        if (existing is not null && existing.KeyHash == hash && existing.RevokedAt is null)
        {
            return;
        }

        if (existing is not null)
        {
            db.ApiClients.Remove(existing);
            await db.SaveChangesAsync(cancellationToken);
        }

        await StoreAsync(name, PrefixOf(key), key, "configuration", cancellationToken);
    }

    public async Task<bool> RevokeAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var client = await db.ApiClients.FirstOrDefaultAsync(c => c.Id == id && c.RevokedAt == null, cancellationToken);
        if (client is null)
        {
            return false;
        }

        client.RevokedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        cache.Remove(client.KeyPrefix);
        logger.LogInformation("API client {Name} revoked.", client.Name);
        return true;
    }

    /// <summary>The active client owning <paramref name="presentedKey"/>, or null; compared in constant time.</summary>
    public async Task<ApiClient?> AuthenticateAsync(string? presentedKey, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(presentedKey) || presentedKey.Length > 200)
        {
            return null;
        }

        var prefix = PrefixOf(presentedKey);
        if (!cache.TryGetValue(prefix, out ApiClient? client))
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            client = await db.ApiClients.AsNoTracking().FirstOrDefaultAsync(c => c.KeyPrefix == prefix && c.RevokedAt == null, cancellationToken);
            cache.Set(prefix, client, CacheLifetime);
        }

        if (client is null)
        {
            return null;
        }

        var presentedHash = Convert.FromHexString(Hash(presentedKey));
        return CryptographicOperations.FixedTimeEquals(presentedHash, Convert.FromHexString(client.KeyHash)) ? client : null;
    }

    private async Task<ApiClient> StoreAsync(string name, string prefix, string key, string createdBy, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var client = new ApiClient { Name = name, KeyPrefix = prefix, KeyHash = Hash(key), CreatedAt = clock.GetUtcNow(), CreatedBy = createdBy };
        db.ApiClients.Add(client);
        await db.SaveChangesAsync(cancellationToken);
        cache.Remove(prefix);
        logger.LogInformation("API client {Name} created by {CreatedBy}.", name, createdBy);
        return client;
    }

    /// <summary>The lookup prefix: the middle part of <c>rp_{prefix}_{secret}</c>, or a hash-derived one for other (configured) keys.</summary>
    private static string PrefixOf(string key)
    {
        var parts = key.Split('_');
        return parts is ["rp", { Length: 12 } prefix, _] ? prefix : "cfg" + Hash(key)[..12];
    }

    private static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
