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
        var form = await client.GetStringAsync(loginPath);
        var token = AntiforgeryToken().Match(form);
        if (!token.Success)
        {
            throw new InvalidOperationException("The sign-in form has no antiforgery token.");
        }

        return await client.PostAsync(loginPath, new FormUrlEncodedContent(new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups["value"].Value),
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        }));
    }

    /// <summary>Whether the client's cookie still gets it past the sign-in form.</summary>
    public static async Task<bool> IsSignedInAsync(HttpClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var probe = await client.GetAsync("/");
        return probe.RequestMessage?.RequestUri?.AbsolutePath != "/Account/Login";
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"(?<value>[^\"]+)\"", RegexOptions.None, matchTimeoutMilliseconds: 1000)]
    private static partial Regex AntiforgeryToken();
}
