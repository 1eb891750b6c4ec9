using System.Collections.Concurrent;
using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.Caching.Memory;
using ReviewPortal.Domain.ApiClients;
using ReviewPortal.Web.Data;

namespace ReviewPortal.Web.Features.Admin;

/// <summary>A created client and its key, which is shown once and never stored.</summary>
public sealed record CreatedApiClient(ApiClient Client, string Key);

/// <summary>A creation: the client and its key, or why the name was refused.</summary>
public sealed record ApiClientCreation(CreatedApiClient? Created, FieldErrors Errors);

/// <summary>What granting a repository to a client came to.</summary>
public enum GrantOutcome
{
    Granted,
    AlreadyGranted,
    NoSuchClient,
    ClientRevoked,
    NoSuchRepository,
}

public static class GrantOutcomeText
{
    /// <summary>
    /// What the outcome means, in words for the admin page and the admin API's problem titles. <paramref name="client"/>
    /// and <paramref name="repository"/> are names or ids; the nouns are added here.
    /// </summary>
    public static string Describe(this GrantOutcome outcome, string client, string repository) => outcome switch
    {
        GrantOutcome.Granted => $"API client {client} is now limited to its granted repositories, {repository} among them, and may attach provenance to any change of them.",
        GrantOutcome.AlreadyGranted => $"API client {client} is already granted repository {repository}.",
        GrantOutcome.NoSuchClient => $"There is no API client {client}.",
        GrantOutcome.ClientRevoked => $"API client {client} is revoked; a revoked client cannot be granted repositories.",
        GrantOutcome.NoSuchRepository => $"There is no registered repository {repository}.",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "An outcome without a text."),
    };
}

/// <summary>
/// Per-client API keys: <c>rp_{prefix}_{secret}</c>, stored as a SHA-256 hash and found by the prefix; and the
/// repositories an admin has granted each client.
/// </summary>
public sealed class ApiClientRegistry(IDbContextFactory<PortalDbContext> dbFactory, IMemoryCache cache, TimeProvider clock, ILogger<ApiClientRegistry> logger)
{
    private static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(30);

    /// <summary>How precisely "last used" is kept: a busy client costs one write a minute, not one per request.</summary>
    public static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    // When this instance last wrote each client's "last used"; the UPDATE's own condition covers other instances.
    private readonly ConcurrentDictionary<long, DateTimeOffset> _lastUseWritten = new();

    public async Task<CreatedApiClient> CreateAsync(string name, string createdBy, ApiScope scopes = ApiScopes.AgentDefault, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var prefix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var key = $"rp_{prefix}_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24))}";
        var client = await StoreAsync(name.Trim(), prefix, key, scopes, createdBy, cancellationToken);
        return new CreatedApiClient(client, key);
    }

    /// <summary>
    /// Creates a client named <paramref name="name"/> when the name is storable (within the EF model's column length)
    /// and not taken, holding at least one known scope; a refusal names the <c>name</c> or <c>scopes</c> field.
    /// </summary>
    public async Task<ApiClientCreation> TryCreateAsync(string? name, ApiScope scopes, string createdBy, CancellationToken cancellationToken = default)
    {
        var errors = new FieldErrors();
        IModel model;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            model = db.Model;
        }

        errors.CheckText("name", "Name", name, model.MaxLengthOf<ApiClient>(nameof(ApiClient.Name)), required: true);
        CheckScopes(errors, scopes);
        if (errors.Any)
        {
            return new ApiClientCreation(null, errors);
        }

        try
        {
            return new ApiClientCreation(await CreateAsync(name!, createdBy, scopes, cancellationToken), errors);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolationOf<ApiClient>(model, nameof(ApiClient.Name)))
        {
            errors.AddConflict("name", $"A client named '{name!.Trim()}' already exists.");
            return new ApiClientCreation(null, errors);
        }
    }

    /// <summary>
    /// Makes <paramref name="key"/> (e.g. from configuration at start-up) a stored, hashed client named
    /// <paramref name="name"/> holding <paramref name="scopes"/>. A new key replaces that client's earlier one on the
    /// same row (and makes it active again), so its grants and "last used" survive a key rotation; the scopes are
    /// configuration's at every start.
    /// </summary>
    public async Task EnsureAsync(string name, string key, ApiScope scopes = ApiScopes.AgentDefault, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var existing = await db.ApiClients.FirstOrDefaultAsync(c => c.Name == name, cancellationToken);
        if (existing is null)
        {
            await StoreAsync(name, PrefixOf(key), key, scopes, "configuration", cancellationToken);
            return;
        }

        var hash = Hash(key);
        if (existing.KeyHash == hash && existing.RevokedAt is null && existing.Scopes == scopes)
        {
            return;
        }

        var previousPrefix = existing.KeyPrefix;
        var rotated = existing.KeyHash != hash || existing.RevokedAt is not null;
        existing.KeyHash = hash;
        existing.KeyPrefix = PrefixOf(key);
        existing.RevokedAt = null;
        existing.Scopes = scopes;
        await db.SaveChangesAsync(cancellationToken);
        cache.Remove(previousPrefix);
        cache.Remove(existing.KeyPrefix);
        logger.LogInformation(rotated ? "API client {Name} has a new key from configuration, with scopes {Scopes}." : "API client {Name} has scopes {Scopes} from configuration.", name, scopes);
    }

    /// <summary>Gives an active client exactly <paramref name="scopes"/>: no errors when done, a refusal naming the <c>scopes</c> field, or null when there is no such active client.</summary>
    public async Task<FieldErrors?> SetScopesAsync(long id, ApiScope scopes, string changedBy, CancellationToken cancellationToken = default)
    {
        var errors = new FieldErrors();
        CheckScopes(errors, scopes);
        if (errors.Any)
        {
            return errors;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var client = await db.ApiClients.FirstOrDefaultAsync(c => c.Id == id && c.RevokedAt == null, cancellationToken);
        if (client is null)
        {
            return null;
        }

        var before = client.Scopes;
        client.Scopes = scopes;
        await db.SaveChangesAsync(cancellationToken);
        cache.Remove(client.KeyPrefix);
        logger.LogInformation("API client {Name}: scopes {Before} changed to {After} by {ChangedBy}.", client.Name, before, scopes, changedBy);
        return errors;
    }

    /// <summary>
    /// The names of the repositories <paramref name="clientId"/> is limited to, or null when it has no grant and so is
    /// not limited. Read at every call, so that a grant an admin adds or removes applies to the next request.
    /// </summary>
    public async Task<IReadOnlySet<string>?> RepositoryLimitOfAsync(long clientId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var names = await db.ApiClientGrants.AsNoTracking().Where(g => g.ApiClientId == clientId).Select(g => g.Repository!.Name).ToListAsync(cancellationToken);
        return names.Count == 0 ? null : names.ToHashSet(StringComparer.Ordinal);
    }

    private static void CheckScopes(FieldErrors errors, ApiScope scopes)
    {
        if (scopes == ApiScope.None)
        {
            errors.Add("scopes", $"Choose at least one scope: {string.Join(", ", ApiScopes.Each)}.");
        }
        else if ((scopes & ~ApiScopes.All) != ApiScope.None)
        {
            errors.Add("scopes", $"Unknown scope; use {string.Join(", ", ApiScopes.Each)}.");
        }
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
        if (!CryptographicOperations.FixedTimeEquals(presentedHash, Convert.FromHexString(client.KeyHash)))
        {
            return null;
        }

        await RecordUseAsync(client, cancellationToken);
        return client;
    }

    /// <summary>The repositories <paramref name="clientId"/> has been granted, by name.</summary>
    public async Task<IReadOnlyList<ApiClientGrant>> GrantsOfAsync(long clientId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.ApiClientGrants.AsNoTracking().Include(g => g.Repository)
            .Where(g => g.ApiClientId == clientId)
            .OrderBy(g => g.Repository!.Name).ThenBy(g => g.RepositoryId)
            .ToListAsync(cancellationToken);
    }

    /// <summary>Limits an active client to its granted repositories, this one among them, and lets it attach provenance to any change of them.</summary>
    public async Task<GrantOutcome> GrantAsync(long clientId, long repositoryId, string grantedBy, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(grantedBy);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var client = await db.ApiClients.AsNoTracking().FirstOrDefaultAsync(c => c.Id == clientId, cancellationToken);
        if (client is null)
        {
            return GrantOutcome.NoSuchClient;
        }

        if (client.RevokedAt is not null)
        {
            return GrantOutcome.ClientRevoked;
        }

        if (!await db.Repositories.AnyAsync(r => r.Id == repositoryId, cancellationToken))
        {
            return GrantOutcome.NoSuchRepository;
        }

        if (await db.ApiClientGrants.AnyAsync(g => g.ApiClientId == clientId && g.RepositoryId == repositoryId, cancellationToken))
        {
            return GrantOutcome.AlreadyGranted;
        }

        db.ApiClientGrants.Add(new ApiClientGrant { ApiClientId = clientId, RepositoryId = repositoryId, GrantedAt = clock.GetUtcNow(), GrantedBy = grantedBy });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            // Two admins granted it at once: the other one's grant stands.
            return GrantOutcome.AlreadyGranted;
        }

        logger.LogInformation("API client {Name} granted repository {RepositoryId} by {GrantedBy}.", client.Name, repositoryId, grantedBy);
        return GrantOutcome.Granted;
    }

    /// <summary>Takes a grant away; false when there was none.</summary>
    public async Task<bool> RemoveGrantAsync(long clientId, long repositoryId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var removed = await db.ApiClientGrants.Where(g => g.ApiClientId == clientId && g.RepositoryId == repositoryId).ExecuteDeleteAsync(cancellationToken);
        if (removed > 0)
        {
            logger.LogInformation("API client {ClientId} no longer granted repository {RepositoryId}.", clientId, repositoryId);
        }

        return removed > 0;
    }

    /// <summary>
    /// Records that <paramref name="client"/> authenticated, at most once per <see cref="LastUsedResolution"/>: this
    /// instance skips the write within that time, and the UPDATE's condition skips it when another instance wrote.
    /// </summary>
    private async Task RecordUseAsync(ApiClient client, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (_lastUseWritten.TryGetValue(client.Id, out var written) && now - written < LastUsedResolution)
        {
            return;
        }

        _lastUseWritten[client.Id] = now;
        var staleBefore = now - LastUsedResolution;
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            await db.ApiClients.Where(c => c.Id == client.Id && (c.LastUsedAt == null || c.LastUsedAt < staleBefore))
                .ExecuteUpdateAsync(set => set.SetProperty(c => c.LastUsedAt, now), cancellationToken);
        }
        catch (DbException ex)
        {
            // "Last used" is informational: failing to write it must not fail the call it describes.
            _lastUseWritten.TryRemove(client.Id, out _);
            logger.LogWarning(ex, "Could not record when API client {Name} was last used.", client.Name);
        }
    }

    private async Task<ApiClient> StoreAsync(string name, string prefix, string key, ApiScope scopes, string createdBy, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var client = new ApiClient { Name = name, KeyPrefix = prefix, KeyHash = Hash(key), CreatedAt = clock.GetUtcNow(), CreatedBy = createdBy, Scopes = scopes };
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
