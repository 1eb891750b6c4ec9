using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ReviewPortal.Testing;

/// <summary>
/// What goes into an id_token the <see cref="FakeOpenIdProvider"/> issues; every property left alone is what an honest
/// provider would send for the portal's client, so a test changes only the one it is about.
/// </summary>
public sealed record FakeIdToken
{
    public required string Subject { get; init; }

    /// <summary>The nonce of the authorization request the token answers (null: none in the token).</summary>
    public required string? Nonce { get; init; }

    /// <summary>Null: the provider's issuer.</summary>
    public string? Issuer { get; init; }

    /// <summary>Null: the portal's client id.</summary>
    public string? Audience { get; init; }

    public DateTimeOffset IssuedAt { get; init; } = DateTimeOffset.UtcNow;

    public DateTimeOffset Expires { get; init; } = DateTimeOffset.UtcNow.AddMinutes(5);

    /// <summary>When the person authenticated at the provider; null leaves <c>auth_time</c> out of the token.</summary>
    public DateTimeOffset? AuthTime { get; init; } = DateTimeOffset.UtcNow;

    public string Email { get; init; } = "person@fake-idp.test";

    public string Name { get; init; } = "Fake Person";

    public IReadOnlyList<string> Groups { get; init; } = [];

    /// <summary>Null: the provider's current signing key (the one its jwks publishes).</summary>
    public RsaSecurityKey? SigningKey { get; init; }

    /// <summary>An unsecured JWT (<c>alg: none</c>, no signature).</summary>
    public bool Unsigned { get; init; }
}

/// <summary>
/// An OpenID Provider on 127.0.0.1 whose answers the test decides: discovery, jwks (the current signing key only, so
/// a rotation retires the old one), a token endpoint that redeems codes the test issued for id_tokens it crafted, and
/// userinfo echoing the claims of that id_token. There is no /authorize: a test reads state and nonce from the portal's
/// redirect there and posts the callback itself.
/// </summary>
public sealed class FakeOpenIdProvider : IAsyncDisposable
{
    public const string ClientId = "reviewportal-tests";
    public const string ClientSecret = "fake-provider-secret-0123456789";

    private WebApplication _app = default!;
    private readonly ConcurrentDictionary<string, string> _idTokensByCode = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _idTokensByAccessToken = new(StringComparer.Ordinal);
    private RsaSecurityKey _signingKey = NewSigningKey();
    private int _keySetReads;

    private FakeOpenIdProvider()
    {
    }

    /// <summary>The issuer and authority, without a trailing slash (http://127.0.0.1:port).</summary>
    public string Issuer { get; private set; } = "";

    /// <summary>The key that signs the tokens and that jwks publishes.</summary>
    public RsaSecurityKey SigningKey => Volatile.Read(ref _signingKey);

    /// <summary>Every form posted to the token endpoint, in order.</summary>
    public ConcurrentQueue<IReadOnlyDictionary<string, string>> TokenRequests { get; } = new();

    /// <summary>How many times the jwks was read.</summary>
    public int KeySetReads => Volatile.Read(ref _keySetReads);

    public static async Task<FakeOpenIdProvider> StartAsync()
    {
        var provider = new FakeOpenIdProvider();
        (provider._app, provider.Issuer) = await LoopbackServer.StartAsync(provider.Map);
        return provider;
    }

    /// <summary>A new RSA key with its own key id, for signing (or forging) tokens.</summary>
    public static RsaSecurityKey NewSigningKey(string? keyId = null) =>
        new(RSA.Create(2048)) { KeyId = keyId ?? $"key-{Guid.NewGuid():N}" };

    /// <summary>Signs with a new key from now on and publishes only that one; returns it.</summary>
    public RsaSecurityKey RotateSigningKey()
    {
        var key = NewSigningKey();
        Volatile.Write(ref _signingKey, key);
        return key;
    }

    /// <summary>The portal's settings for this provider under <paramref name="name"/>, its groups mapped as given.</summary>
    public IReadOnlyDictionary<string, string?> PortalSettings(string name, IReadOnlyDictionary<string, string> roleMapping)
    {
        ArgumentNullException.ThrowIfNull(roleMapping);
        const string provider = "Authentication:Oidc:Providers:0";
        var settings = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            [$"{provider}:Name"] = name,
            [$"{provider}:DisplayName"] = "Fake provider",
            [$"{provider}:Authority"] = Issuer,
            [$"{provider}:ClientId"] = ClientId,
            [$"{provider}:ClientSecret"] = ClientSecret,
        };
        foreach (var (group, role) in roleMapping)
        {
            settings[$"{provider}:RoleMapping:{group}"] = role;
        }

        return settings;
    }

    /// <summary>The compact id_token for <paramref name="token"/>.</summary>
    public string IdToken(FakeIdToken token)
    {
        ArgumentNullException.ThrowIfNull(token);
        var claims = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["sub"] = token.Subject,
            ["email"] = token.Email,
            ["email_verified"] = true,
            ["name"] = token.Name,
            ["groups"] = token.Groups.ToArray(),
        };
        if (token.Nonce is not null)
        {
            claims["nonce"] = token.Nonce;
        }

        if (token.AuthTime is { } authTime)
        {
            claims["auth_time"] = authTime.ToUnixTimeSeconds();
        }

        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = token.Issuer ?? Issuer,
            Audience = token.Audience ?? ClientId,
            IssuedAt = token.IssuedAt.UtcDateTime,
            NotBefore = token.IssuedAt.UtcDateTime,
            Expires = token.Expires.UtcDateTime,
            Claims = claims,
        };
        // Without credentials the handler writes alg none and an empty signature: the shape an attacker sends.
        if (!token.Unsigned)
        {
            descriptor.SigningCredentials = new SigningCredentials(token.SigningKey ?? SigningKey, SecurityAlgorithms.RsaSha256);
        }

        return new JsonWebTokenHandler().CreateToken(descriptor);
    }

    /// <summary>A one-time authorization code that the token endpoint redeems for <paramref name="idToken"/>.</summary>
    public string IssueCode(string idToken)
    {
        var code = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(24));
        _idTokensByCode[code] = idToken;
        return code;
    }

    /// <summary>The S256 code challenge of a PKCE code verifier.</summary>
    public static string CodeChallengeOf(string verifier) =>
        Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private void Map(WebApplication app)
    {
        app.MapGet("/.well-known/openid-configuration", () =>
            Results.Json(new Dictionary<string, object>(StringComparer.Ordinal)
            {
                ["issuer"] = Issuer,
                ["authorization_endpoint"] = $"{Issuer}/authorize",
                ["token_endpoint"] = $"{Issuer}/token",
                ["userinfo_endpoint"] = $"{Issuer}/userinfo",
                ["jwks_uri"] = $"{Issuer}/jwks",
                ["end_session_endpoint"] = $"{Issuer}/session/end",
                ["response_types_supported"] = new[] { "code" },
                ["subject_types_supported"] = new[] { "public" },
                ["id_token_signing_alg_values_supported"] = new[] { SecurityAlgorithms.RsaSha256 },
                ["code_challenge_methods_supported"] = new[] { "S256" },
                ["token_endpoint_auth_methods_supported"] = new[] { "client_secret_post", "client_secret_basic" },
            }));

        app.MapGet("/jwks", () =>
        {
            Interlocked.Increment(ref _keySetReads);
            var key = SigningKey;
            var parameters = key.Rsa.ExportParameters(includePrivateParameters: false);
            return Results.Json(new
            {
                keys = new[]
                {
                    new { kty = "RSA", use = "sig", alg = SecurityAlgorithms.RsaSha256, kid = key.KeyId, n = Base64UrlEncoder.Encode(parameters.Modulus), e = Base64UrlEncoder.Encode(parameters.Exponent) },
                },
            });
        });

        app.MapPost("/token", async (HttpContext context) =>
        {
            var form = await context.Request.ReadFormAsync();
            var request = form.ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal);
            TokenRequests.Enqueue(request);
            // A code is redeemed once, as at a real provider.
            if (!request.TryGetValue("code", out var code) || !_idTokensByCode.TryRemove(code, out var idToken)
                || request.GetValueOrDefault("client_id") != ClientId || request.GetValueOrDefault("client_secret") != ClientSecret)
            {
                return Results.Json(new { error = "invalid_grant" }, statusCode: StatusCodes.Status400BadRequest);
            }

            var accessToken = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(24));
            _idTokensByAccessToken[accessToken] = idToken;
            return Results.Json(new { id_token = idToken, access_token = accessToken, token_type = "Bearer", expires_in = 300 });
        });

        app.MapGet("/userinfo", (HttpContext context) =>
        {
            var authorization = context.Request.Headers.Authorization.ToString();
            if (!authorization.StartsWith("Bearer ", StringComparison.Ordinal) || !_idTokensByAccessToken.TryGetValue(authorization["Bearer ".Length..], out var idToken))
            {
                return Results.Unauthorized();
            }

            var payload = JsonNode.Parse(Base64UrlEncoder.Decode(idToken.Split('.')[1]))!.AsObject();
            var userInfo = new JsonObject();
            foreach (var claim in new[] { "sub", "email", "email_verified", "name", "groups" })
            {
                if (payload[claim] is { } value)
                {
                    userInfo[claim] = value.DeepClone();
                }
            }

            return Results.Content(userInfo.ToJsonString(), "application/json");
        });
    }
}
