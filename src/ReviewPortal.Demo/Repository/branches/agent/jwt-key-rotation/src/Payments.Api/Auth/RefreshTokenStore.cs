using Dapper;
using Npgsql;

namespace Payments.Api.Auth;

public sealed record TokenFamily(Guid Id, string CurrentToken, bool IsRevoked);

public sealed class RefreshTokenStore(NpgsqlDataSource db)
{
    public async Task<TokenFamily?> FindFamilyAsync(string token, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<TokenFamily>(
            "SELECT f.id, f.current_token, f.revoked_at IS NOT NULL AS is_revoked FROM refresh_token_families f JOIN refresh_tokens t ON t.family_id = f.id WHERE t.token_hash = digest(@token, 'sha256')",
            new { token });
    }

    public async Task RevokeFamilyAsync(Guid familyId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync("UPDATE refresh_token_families SET revoked_at = now() WHERE id = @familyId", new { familyId });
    }

    public async Task RotateAsync(Guid familyId, string next, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync("INSERT INTO refresh_tokens (family_id, token_hash) VALUES (@familyId, digest(@next, 'sha256'))", new { familyId, next });
        await conn.ExecuteAsync("UPDATE refresh_token_families SET current_token = @next WHERE id = @familyId", new { familyId, next });
    }
}