using System.Net;
using System.Text.RegularExpressions;

namespace ReviewPortal.Testing;

/// <summary>Signs an HttpClient (with cookies) in through the real sign-in form, antiforgery token included.</summary>
public static partial class FormSignIn
{
    public static async Task SignInAsync(HttpClient client, string email, string password = DemoLogin.Password)
    {
        using var response = await PostAsync(client, email, password);
        // Signed in when the portal no longer sends this client to the sign-in form (where it lands is the role's business).
        if (response.StatusCode >= HttpStatusCode.InternalServerError || !await IsSignedInAsync(client))
        {
            throw new InvalidOperationException($"Signing in as {email} failed ({response.StatusCode}).");
        }
    }

    /// <summary>Submits the sign-in form at <paramref name="loginPath"/> (with its query) and returns the portal's answer, whatever it is.</summary>
    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string email, string password, string loginPath = "/Account/Login")
    {
        ArgumentNullException.ThrowIfNull(client);
        var token = await AntiforgeryTokenAsync(client, loginPath);
        return await client.PostAsync(loginPath, new FormUrlEncodedContent(new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = token,
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        }));
    }

    /// <summary>The antiforgery token of the sign-in page's forms (its cookie lands in the client's cookies).</summary>
    public static async Task<string> AntiforgeryTokenAsync(HttpClient client, string loginPath = "/Account/Login")
    {
        ArgumentNullException.ThrowIfNull(client);
        var token = AntiforgeryToken().Match(await client.GetStringAsync(loginPath));
        return token.Success
            ? WebUtility.HtmlDecode(token.Groups["value"].Value)
            : throw new InvalidOperationException("The sign-in form has no antiforgery token.");
    }

    /// <summary>Signs <paramref name="client"/> out through the app bar's form, antiforgery token included.</summary>
    public static async Task SignOutAsync(HttpClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        // Any page with the app bar carries the sign-out form; every signed-in person may open the list of all changes.
        var token = AntiforgeryToken().Match(await client.GetStringAsync("/queue/all"));
        if (!token.Success)
        {
            throw new InvalidOperationException("The page has no sign-out form.");
        }

        using var response = await client.PostAsync("/Account/Logout", new FormUrlEncodedContent(new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups["value"].Value),
        }));
        if (response.StatusCode >= HttpStatusCode.BadRequest)
        {
            throw new InvalidOperationException($"Signing out failed ({response.StatusCode}).");
        }
    }

    /// <summary>Whether the portal lets <paramref name="client"/> past the sign-in form.</summary>
    public static async Task<bool> IsSignedInAsync(HttpClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var probe = await client.GetAsync("/");
        return probe.RequestMessage?.RequestUri?.AbsolutePath != "/Account/Login";
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"(?<value>[^\"]+)\"", RegexOptions.None, matchTimeoutMilliseconds: 1000)]
    private static partial Regex AntiforgeryToken();
}
