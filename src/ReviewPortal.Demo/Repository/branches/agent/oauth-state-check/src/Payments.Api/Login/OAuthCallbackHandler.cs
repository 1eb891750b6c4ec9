using System.Security.Cryptography;
using System.Text;

namespace Web.Login;

public sealed class OAuthCallbackHandler(IGitHubOAuthClient github, ISessionStore sessions)
{
    public async Task<IResult> HandleAsync(HttpContext http, string code, string state)
    {
        var expected = http.Request.Cookies["oauth_state"];
        if (expected is null || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(state)))
        {
            return Results.BadRequest("Login state mismatch. Start the sign-in again.");
        }

        http.Response.Cookies.Delete("oauth_state");
        var token = await github.ExchangeCodeAsync(code, http.RequestAborted);
        var user = await github.GetUserAsync(token, http.RequestAborted);
        await sessions.SignInAsync(http, user);
        return Results.Redirect("/");
    }
}