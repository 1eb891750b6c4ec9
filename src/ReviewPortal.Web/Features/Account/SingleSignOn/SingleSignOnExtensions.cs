using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Features.Shared;
using ReviewPortal.Web.Infrastructure;
using ReviewPortal.Web.Infrastructure.Security;

namespace ReviewPortal.Web.Features.Account.SingleSignOn;

public static class SingleSignOnExtensions
{
    /// <summary>Claims the portal adds to its own cookie at an SSO sign-in: which provider, which identity, and when the person authenticated there.</summary>
    public const string SchemeClaim = "sso_scheme";
    public const string IssuerClaim = "sso_iss";
    public const string SubjectClaim = "sso_sub";
    public const string AuthTimeClaim = "auth_time";

    /// <summary>The <see cref="ProviderSession"/> the sign-in started, when the provider gave a refresh token.</summary>
    public const string SessionClaim = "sso_session";

    /// <summary>The claims a sign-in establishes beyond the account's own (which are re-read from the account): kept as long as the session.</summary>
    public static readonly IReadOnlySet<string> SignInClaimTypes = new HashSet<string>(StringComparer.Ordinal) { SchemeClaim, IssuerClaim, SubjectClaim, SessionClaim, AuthTimeClaim, "acr", "amr" };

    private const string IdTokenHintParameter = "id_token_hint";

    /// <summary>One OpenID Connect handler per configured provider (authorization code + PKCE), signing in through the external cookie.</summary>
    public static IServiceCollection AddPortalSingleSignOn(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SingleSignOnSettings>().BindConfiguration(SingleSignOnSettings.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SingleSignOnSettings>, SingleSignOnSettingsValidator>();
        services.AddScoped<SingleSignOnAccounts>();
        services.AddSingleton<ProviderSessions>();
        var authentication = services.AddAuthentication();
        var providers = configuration.ReadSettings<SingleSignOnSettings>(SingleSignOnSettings.Section).Providers;
        foreach (var provider in providers)
        {
            authentication.AddOpenIdConnect(provider.SchemeName, provider.DisplayName, options => Configure(options, provider));
        }

        if (providers.Count > 0)
        {
            services.AddHostedService<ProviderSessionRefresher>();
        }

        return services;
    }

    private static void Configure(OpenIdConnectOptions options, OidcProviderSettings provider)
    {
        options.SignInScheme = IdentityConstants.ExternalScheme;
        options.Authority = provider.Authority;
        // Only a provider on the loopback interface may be plain http (the development provider); the settings refuse others.
        options.RequireHttpsMetadata = !provider.Authority.StartsWith("http://", StringComparison.OrdinalIgnoreCase);
        options.ClientId = provider.ClientId;
        options.ClientSecret = provider.ClientSecret;
        options.ResponseType = OpenIdConnectResponseType.Code;
        options.UsePkce = true;
        options.SaveTokens = true;
        options.GetClaimsFromUserInfoEndpoint = true;
        // The raw claim names (sub, iss, groups): the account is keyed on them, not on mapped WS-Federation names.
        options.MapInboundClaims = false;
        options.CallbackPath = $"/signin-oidc-{provider.Name}";
        options.SignedOutCallbackPath = $"/signout-callback-oidc-{provider.Name}";
        options.Scope.Clear();
        foreach (var scope in new[] { "openid", "profile" }.Concat(provider.RequestedScopes).Distinct(StringComparer.Ordinal))
        {
            options.Scope.Add(scope);
        }

        // The handler drops these by default; the account needs the issuer, and the decision record will need acr.
        options.ClaimActions.Remove("iss");
        options.ClaimActions.Remove("acr");
        options.ClaimActions.MapJsonKey(provider.GroupsClaim, provider.GroupsClaim);
        options.TokenValidationParameters.NameClaimType = "name";
        // For the code flow the handler turns RequireSignedTokens off (OpenID Connect Core 3.1.3.7 lets a client trust
        // TLS to the token endpoint instead), so an unsigned id_token (alg none) would pass. Every provider the portal
        // is meant for signs its id_tokens, and the development provider's back channel is plain http.
        options.Events.OnTokenValidated = context =>
        {
            if (context.SecurityToken is not { } token || string.IsNullOrEmpty(token.RawSignature)
                || string.Equals(token.Header.Alg, SecurityAlgorithms.None, StringComparison.OrdinalIgnoreCase))
            {
                context.Fail("The id_token is not signed.");
            }

            return Task.CompletedTask;
        };
        options.Events.OnRedirectToIdentityProviderForSignOut = context =>
        {
            if (context.Properties.GetParameter<string>(IdTokenHintParameter) is { Length: > 0 } hint)
            {
                context.ProtocolMessage.IdTokenHint = hint;
            }

            return Task.CompletedTask;
        };
        // Cancelled at the provider (access_denied), or a response that failed validation: back to the sign-in page
        // with the reason, never an exception page.
        options.Events.OnAccessDenied = context =>
        {
            LoggerOf(context.HttpContext).LogInformation("Sign-in through {Provider} was cancelled at the provider.", provider.Name);
            context.Response.Redirect(LoginPageWith(ExternalSignInError.Cancelled));
            context.HandleResponse();
            return Task.CompletedTask;
        };
        options.Events.OnRemoteFailure = context =>
        {
            LoggerOf(context.HttpContext).LogWarning(context.Failure, "Sign-in through {Provider} failed.", provider.Name);
            context.Response.Redirect(LoginPageWith(ExternalSignInError.Failed));
            context.HandleResponse();
            return Task.CompletedTask;
        };
    }

    public static IEndpointRouteBuilder MapPortalSingleSignOn(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/Account/ExternalLogin", Start);
        endpoints.MapGet("/Account/ExternalLogin/Callback", CompleteAsync);
        return endpoints;
    }

    private static IResult Start([FromForm] string provider, [FromForm] string? returnUrl, IOptions<SingleSignOnSettings> settings, SignInManager<PortalUser> signInManager)
    {
        if (settings.Value.Providers.FirstOrDefault(p => string.Equals(p.Name, provider, StringComparison.Ordinal)) is not { } chosen)
        {
            return TypedResults.LocalRedirect(LoginPageWith(ExternalSignInError.UnknownProvider));
        }

        var callback = $"/Account/ExternalLogin/Callback?returnUrl={Uri.EscapeDataString(ReturnUrls.LocalOrRoot(returnUrl))}";
        var properties = signInManager.ConfigureExternalAuthenticationProperties(chosen.SchemeName, callback);
        return TypedResults.Challenge(properties, [chosen.SchemeName]);
    }

    private static async Task<IResult> CompleteAsync(string? returnUrl, HttpContext http, IOptions<SingleSignOnSettings> settings, SingleSignOnAccounts accounts,
        SignInManager<PortalUser> signInManager, ProviderSessions sessions, SecurityEventLog events)
    {
        var logger = LoggerOf(http);
        var external = await http.AuthenticateAsync(IdentityConstants.ExternalScheme);
        await http.SignOutAsync(IdentityConstants.ExternalScheme);
        var scheme = external.Properties?.Items.TryGetValue("LoginProvider", out var item) == true ? item : null;
        var provider = settings.Value.Providers.FirstOrDefault(p => p.SchemeName == scheme);
        if (!external.Succeeded || provider is null)
        {
            logger.LogWarning("An SSO callback arrived without a completed sign-in at a configured provider.");
            return TypedResults.LocalRedirect(LoginPageWith(ExternalSignInError.Failed));
        }

        if (ProviderIdentity.From(external.Principal, provider.GroupsClaim, out var missing) is not { } identity)
        {
            logger.LogWarning("{Provider} sent an identity without the {Claim} claim; nobody was signed in.", provider.Name, missing);
            return TypedResults.LocalRedirect(LoginPageWith(ExternalSignInError.Failed));
        }

        var result = await accounts.SignInAsync(identity, provider);
        if (result.User is null)
        {
            return TypedResults.LocalRedirect(LoginPageWith(ExternalSignInError.Failed));
        }

        var properties = new AuthenticationProperties();
        // The id_token is kept for the provider's sign-out (id_token_hint), the refresh token for re-reading roles.
        properties.StoreTokens(external.Properties!.GetTokens());
        System.Security.Claims.Claim[] claims =
        [
            new(SchemeClaim, provider.SchemeName),
            new(IssuerClaim, identity.Issuer),
            new(SubjectClaim, identity.Subject),
            .. external.Principal.FindAll(c => c.Type is AuthTimeClaim or "acr" or "amr").Select(c => new System.Security.Claims.Claim(c.Type, c.Value)),
        ];
        // With a refresh token the portal keeps asking the provider about the person while the session lives.
        if (external.Properties!.GetTokenValue("refresh_token") is { Length: > 0 } refreshToken)
        {
            var session = await sessions.StartAsync(result.User.Id, provider.SchemeName, identity.Subject, refreshToken, settings.Value.RefreshInterval, http.RequestAborted);
            claims = [.. claims, new(SessionClaim, session.ToString())];
        }

        await signInManager.SignInWithClaimsAsync(result.User, properties, claims);
        await events.RecordAsync(SecurityEventKind.SingleSignOnSignIn, result.User.DisplayName, result.User.Id,
            $"Through {provider.DisplayName} ({identity.Issuer}, subject {identity.Subject}){(result.Created ? "; account created" : "")}.", http, http.RequestAborted);
        return TypedResults.LocalRedirect(ReturnUrls.LocalOrRoot(returnUrl));
    }

    /// <summary>Signs out of the portal and, for an SSO sign-in, of the provider too (its end-session endpoint).</summary>
    public static async Task<IResult> SignOutAsync(HttpContext http, SignInManager<PortalUser> signInManager)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(signInManager);
        var scheme = http.User.FindFirst(SchemeClaim)?.Value;
        if (http.User.Identity?.IsAuthenticated == true)
        {
            if (Guid.TryParse(http.User.FindFirst(SessionClaim)?.Value, out var session))
            {
                await http.RequestServices.GetRequiredService<ProviderSessions>().EndAsync(session, "signed out", http.RequestAborted);
            }

            await http.RequestServices.GetRequiredService<SecurityEventLog>().RecordAsync(SecurityEventKind.SignOut, PortalClaimsPrincipalFactory.DisplayNameOf(http.User) ?? "",
                ReviewerDirectory.UserIdOf(http.User), scheme is null ? "A local sign-in." : $"Through {scheme}.", http, http.RequestAborted);
        }

        var idToken = scheme is null ? null : await http.GetTokenAsync(IdentityConstants.ApplicationScheme, "id_token");
        await signInManager.SignOutAsync();
        if (scheme is null || (await http.RequestServices.GetRequiredService<IAuthenticationSchemeProvider>().GetSchemeAsync(scheme)) is null)
        {
            return TypedResults.LocalRedirect("/Account/Login");
        }

        var properties = new AuthenticationProperties { RedirectUri = "/Account/Login" };
        properties.SetParameter(IdTokenHintParameter, idToken);
        return TypedResults.SignOut(properties, [scheme]);
    }

    private static ILogger LoggerOf(HttpContext http) =>
        http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SingleSignOnExtensions));

    private static string LoginPageWith(string error) => $"/Account/Login?error={error}";

    private sealed class SingleSignOnSettingsValidator : IValidateOptions<SingleSignOnSettings>
    {
        public ValidateOptionsResult Validate(string? name, SingleSignOnSettings options)
        {
            var problems = options.Problems().ToList();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
