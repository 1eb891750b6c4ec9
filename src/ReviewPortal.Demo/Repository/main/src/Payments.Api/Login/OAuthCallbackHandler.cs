namespace Web.Login;

public sealed class OAuthCallbackHandler(IGitHubOAuthClient github, ISessionStore sessions)
{
    public async Task<IResult> HandleAsync(HttpContext http, string code, string state)
    {
        var token = await github.ExchangeCodeAsync(code, http.RequestAborted);
        var user = await github.GetUserAsync(token, http.RequestAborted);
        await sessions.SignInAsync(http, user);
        return Results.Redirect("/");
    }
}