using System.IdentityModel.Tokens.Jwt;
using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace Payments.Api.Auth;

public sealed class TokenService(SigningKeyRing keys, RefreshTokenStore refreshTokens, TimeProvider clock)
{
    public string IssueAccessToken(string subject)
    {
        var key = keys.Current;
        var token = new JwtSecurityToken(
            issuer: "payments-api",
            claims: [new("sub", subject)],
            expires: clock.GetUtcNow().UtcDateTime.AddMinutes(15),
            signingCredentials: new SigningCredentials(key.Key, SecurityAlgorithms.EcdsaSha256));
        token.Header["kid"] = key.Id;
        return new JwtSecurityTokenHandler().WriteToken(token);
    }

    public async Task<string> RotateRefreshTokenAsync(string presented, CancellationToken ct)
    {
        var family = await refreshTokens.FindFamilyAsync(presented, ct);
        if (family is null || family.IsRevoked)
        {
            throw new SecurityTokenException("Unknown refresh token.");
        }

        if (family.CurrentToken != presented)
        {
            // A rotated token came back: someone holds a stolen copy. Revoke the whole family.
            await refreshTokens.RevokeFamilyAsync(family.Id, ct);
            throw new SecurityTokenException("Refresh token reuse detected.");
        }

        var next = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        await refreshTokens.RotateAsync(family.Id, next, ct);
        return next;
    }
}