using System.IdentityModel.Tokens.Jwt;
using Microsoft.IdentityModel.Tokens;

namespace Payments.Api.Auth;

public sealed class TokenService(SigningCredentials credentials)
{
    public string IssueAccessToken(string subject)
    {
        var token = new JwtSecurityToken(
            issuer: "payments-api",
            claims: [new("sub", subject)],
            expires: DateTime.UtcNow.AddHours(12),
            signingCredentials: credentials);
        return new JwtSecurityTokenHandler().WriteToken(token);
    }

    public string IssueRefreshToken() => Guid.NewGuid().ToString("N");
}