using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.AspNetCore.WebUtilities;

namespace ReviewPortal.Testing;

/// <summary>A sign-in the portal started: what it sent to the provider's authorization endpoint.</summary>
public sealed record OidcAuthorizationRequest(Uri Uri, IReadOnlyDictionary<string, string> Parameters)
{
    public string State => Parameters["state"];

    public string Nonce => Parameters["nonce"];

    public string CodeChallenge => Parameters["code_challenge"];
}

/// <summary>
/// A browser signing in to the portal through an OpenID Connect provider, without a browser: its own cookies (which
/// honour deletions, as a browser does), no automatic redirects, so each step of the code flow can be looked at.
/// </summary>
public sealed class OidcBrowser : IDisposable
{
    public const string PortalCookie = "ReviewPortal.Auth";

    private static readonly Uri Portal = new("https://localhost");

    private OidcBrowser(HttpClient client, CookieContainer cookies)
    {
        Client = client;
        Cookies = cookies;
    }

    public HttpClient Client { get; }

    public CookieContainer Cookies { get; }

    /// <summary>Over https, as in production: the correlation and nonce cookies are Secure.</summary>
    public static OidcBrowser For(WebApplicationFactory<Program> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var cookies = new CookieContainer();
        return new OidcBrowser(factory.CreateDefaultClient(Portal, new CookieContainerHandler(cookies)), cookies);
    }

    public bool HasPortalSignIn => Cookies.GetCookies(Portal).Any(c => c.Name == PortalCookie && !c.Expired);

    /// <summary>Presses "Sign in with ..." for <paramref name="provider"/> and returns where the portal sent the browser.</summary>
    public async Task<OidcAuthorizationRequest> StartAsync(string provider, string returnUrl = "/")
    {
        var token = await FormSignIn.AntiforgeryTokenAsync(Client);
        using var response = await Client.PostAsync("/Account/ExternalLogin", new FormUrlEncodedContent(new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["__RequestVerificationToken"] = token,
            ["provider"] = provider,
            ["returnUrl"] = returnUrl,
        }));
        var location = response.Headers.Location;
        if (response.StatusCode != HttpStatusCode.Redirect || location is null || !location.IsAbsoluteUri)
        {
            throw new InvalidOperationException($"The portal did not redirect to the provider ({response.StatusCode}, {location}).");
        }

        var parameters = QueryHelpers.ParseQuery(location.Query).ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal);
        return new OidcAuthorizationRequest(location, parameters);
    }

    /// <summary>
    /// What the provider's form_post does: posts <paramref name="code"/> and <paramref name="state"/> to the portal's
    /// callback, then follows the portal's own redirects; returns the last redirect's target (the page the browser lands on).
    /// </summary>
    public async Task<string> CallbackAsync(string provider, string code, string state)
    {
        using var callback = await Client.PostAsync($"/signin-oidc-{provider}", new FormUrlEncodedContent(new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["code"] = code,
            ["state"] = state,
        }));
        var location = LocationOf(callback);
        // The handler hands over to the portal's callback endpoint, which signs in and redirects to the return URL.
        while (location.StartsWith("/Account/ExternalLogin/Callback", StringComparison.Ordinal))
        {
            using var next = await Client.GetAsync(location);
            location = LocationOf(next);
        }

        return location;
    }

    private static string LocationOf(HttpResponseMessage response) =>
        response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location is { } location
            ? location.IsAbsoluteUri && location.Host == Portal.Host ? location.PathAndQuery : location.OriginalString
            : throw new InvalidOperationException($"The portal answered the callback with {(int)response.StatusCode}, not a redirect.");

    public void Dispose() => Client.Dispose();
}
