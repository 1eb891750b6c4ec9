using System.Net;
using System.Text.RegularExpressions;

namespace ReviewPortal.Testing;

/// <summary>Signs an HttpClient (with cookies) in through the real sign-in form, antiforgery token included.</summary>
public static partial class FormSignIn
{
    public static async Task SignInAsync(HttpClient client, string email, string password = DemoLogin.Password)
    {
        ArgumentNullException.ThrowIfNull(client);
        var token = await AntiforgeryTokenAsync(client);
        using var response = await client.PostAsync("/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = token,
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        }));
        // Signed in when the portal no longer sends this client to the sign-in form (where it lands is the role's business).
        using var probe = await client.GetAsync("/");
        if (response.StatusCode >= HttpStatusCode.InternalServerError || probe.RequestMessage?.RequestUri?.AbsolutePath == "/Account/Login")
        {
            throw new InvalidOperationException($"Signing in as {email} failed ({response.StatusCode}).");
        }
    }

    /// <summary>The antiforgery token of the sign-in page's forms (its cookie lands in the client's cookies).</summary>
    public static async Task<string> AntiforgeryTokenAsync(HttpClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        var token = AntiforgeryToken().Match(await client.GetStringAsync("/Account/Login"));
        return token.Success
            ? WebUtility.HtmlDecode(token.Groups["value"].Value)
            : throw new InvalidOperationException("The sign-in form has no antiforgery token.");
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"(?<value>[^\"]+)\"", RegexOptions.None, matchTimeoutMilliseconds: 1000)]
    private static partial Regex AntiforgeryToken();
}
