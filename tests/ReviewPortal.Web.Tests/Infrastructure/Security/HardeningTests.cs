using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using ReviewPortal.Testing;

namespace ReviewPortal.Web.Tests.Infrastructure.Security;

/// <summary>The response headers, HSTS, antiforgery and cookie flags, through the real pipeline.</summary>
public sealed class HardeningTests(HardeningFixture fixture) : IClassFixture<HardeningFixture>
{
    private static readonly Uri Https = new("https://portal.example/");

    private static Dictionary<string, string> Directives(HttpResponseMessage response)
    {
        Assert.True(response.Headers.TryGetValues("Content-Security-Policy", out var values), "no Content-Security-Policy header");
        return values.Single().Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => d.Split(' ', 2))
            .ToDictionary(d => d[0], d => d.Length > 1 ? d[1] : "", StringComparer.Ordinal);
    }

    private static void AssertSecurityHeaders(HttpResponseMessage response)
    {
        var csp = Directives(response);
        Assert.Equal("'self'", csp["default-src"]);
        // No inline script and no eval: the page's scripts are files.
        Assert.Equal("'self'", csp["script-src"]);
        // MudBlazor writes style attributes.
        Assert.Equal("'self' 'unsafe-inline'", csp["style-src"]);
        Assert.Equal("'self'", csp["connect-src"]);
        Assert.Equal("'none'", csp["frame-ancestors"]);
        Assert.Equal("'none'", csp["object-src"]);
        // The sign-in form redirects to the provider: browsers hold that redirect to form-action.
        Assert.Equal("'self' https://login.acme.test", csp["form-action"]);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("strict-origin-when-cross-origin", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
    }

    [Fact]
    public async Task A_page_carries_the_content_security_policy_and_the_other_security_headers()
    {
        using var client = fixture.Factory.CreateClient();

        using var response = await client.GetAsync("/Account/Login");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertSecurityHeaders(response);
    }

    [Fact]
    public async Task An_api_response_carries_the_security_headers_too()
    {
        using var client = fixture.Factory.CreateClient();

        using var response = await client.GetAsync("/api/changes");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        AssertSecurityHeaders(response);
    }

    [Fact]
    public async Task Outside_development_https_responses_carry_hsts()
    {
        using var client = fixture.Factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = Https });

        using var response = await client.GetAsync("/Account/Login");

        Assert.Equal("max-age=31536000", Assert.Single(response.Headers.GetValues("Strict-Transport-Security")));
    }

    [Fact]
    public async Task In_development_there_is_no_hsts_but_the_other_headers_stay()
    {
        await using var development = fixture.Factory.WithWebHostBuilder(builder => builder.UseEnvironment("Development"));
        using var client = development.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = Https });

        using var response = await client.GetAsync("/Account/Login");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
        AssertSecurityHeaders(response);
    }

    [Theory]
    [InlineData("/Account/Logout")]
    [InlineData("/Account/ExternalLogin")]
    [InlineData("/Account/Login?mode=break-glass")]
    public async Task A_form_post_without_its_antiforgery_token_is_refused(string path)
    {
        using var client = fixture.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var response = await client.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["provider"] = "corp",
            ["_handler"] = "login",
            ["Input.Email"] = HardeningSettingsFor.BreakGlassUser,
            ["Input.Password"] = HardeningSettingsFor.BreakGlassPassword,
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task The_sign_in_cookie_is_http_only_same_site_lax_and_secure_over_https()
    {
        using var client = fixture.Factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = Https, AllowAutoRedirect = false });

        using var response = await FormSignIn.PostAsync(client, HardeningSettingsFor.BreakGlassUser, HardeningSettingsFor.BreakGlassPassword, HardeningSettingsFor.BreakGlassLoginPath);

        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("ReviewPortal.Auth=", StringComparison.Ordinal));
        var flags = cookie.Split(';', StringSplitOptions.TrimEntries).Skip(1).Select(f => f.ToLowerInvariant()).ToList();
        Assert.Contains("httponly", flags);
        Assert.Contains("secure", flags);
        Assert.Contains("samesite=lax", flags);
    }

    [Fact]
    public async Task The_antiforgery_cookie_is_http_only()
    {
        using var client = fixture.Factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = Https, AllowAutoRedirect = false });

        using var response = await client.GetAsync("/Account/Login");

        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("ReviewPortal.Antiforgery=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie.ToLowerInvariant(), StringComparison.Ordinal);
        Assert.Contains("secure", cookie.ToLowerInvariant(), StringComparison.Ordinal);
    }
}
