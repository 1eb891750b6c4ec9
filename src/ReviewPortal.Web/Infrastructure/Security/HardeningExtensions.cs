using System.Globalization;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using ReviewPortal.Web.Features.Account.SingleSignOn;

namespace ReviewPortal.Web.Infrastructure.Security;

public static class HardeningExtensions
{
    /// <summary>Where the sign-in cookie keeps the time of its sign-in: sliding renewals move its issued time, not this.</summary>
    public const string SignedInAtItem = ".portal.signed-in-at";

    /// <summary>Response headers, cookie flags, session lifetimes and the failure limits for sign-ins and API keys.</summary>
    public static IServiceCollection AddPortalHardening(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<HardeningSettings>().BindConfiguration(HardeningSettings.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<HardeningSettings>, HardeningSettingsValidator>();
        services.AddSingleton<FailureThrottle>();
        services.AddSingleton<SecurityEventLog>();
        var settings = configuration.ReadSettings<HardeningSettings>(HardeningSettings.Section);
        services.AddSingleton(new ContentSecurityPolicy(
            configuration.ReadSettings<SingleSignOnSettings>(SingleSignOnSettings.Section).Providers.Select(p => p.Authority).Concat(settings.ExtraFormActionOrigins)));
        services.AddHsts(options =>
        {
            options.MaxAge = settings.HstsMaxAge;
            options.IncludeSubDomains = false;
        });
        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "ReviewPortal.Antiforgery";
            options.Cookie.HttpOnly = true;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme)
            .PostConfigure<IOptions<HardeningSettings>>((options, hardening) => ConfigureSessionCookie(options, hardening.Value.Session));
        return services;
    }

    /// <summary>HSTS outside Development, then the security headers on every response (pages, API, static files, error pages).</summary>
    public static WebApplication UsePortalHardening(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (!app.Environment.IsDevelopment())
        {
            // Only on https requests, and never for localhost: a browser must not pin a developer's machine to https.
            app.UseHsts();
        }

        var policy = app.Services.GetRequiredService<ContentSecurityPolicy>().Value;
        app.Use((context, next) =>
        {
            // When the response starts: the exception handler and the status-code pages clear headers set before them.
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = policy;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
                return Task.CompletedTask;
            });
            return next(context);
        });
        return app;
    }

    /// <summary>For POST endpoints that bind no form (the minimal API checks forms it binds on its own): a missing or wrong token is a 400.</summary>
    public static RouteHandlerBuilder RequireAntiforgeryToken(this RouteHandlerBuilder endpoint) =>
        endpoint.AddEndpointFilter(async (context, next) =>
        {
            var antiforgery = context.HttpContext.RequestServices.GetRequiredService<IAntiforgery>();
            if (!await antiforgery.IsRequestValidAsync(context.HttpContext))
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Missing or invalid antiforgery token.",
                    detail: "Submit this form from the portal's own page.");
            }

            return await next(context);
        });

    private static void ConfigureSessionCookie(CookieAuthenticationOptions options, SessionSettings session)
    {
        options.Cookie.HttpOnly = true;
        options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        options.Cookie.SameSite = SameSiteMode.Lax;
        options.ExpireTimeSpan = session.IdleTimeout;
        options.SlidingExpiration = true;
        var signingIn = options.Events.OnSigningIn;
        options.Events.OnSigningIn = context =>
        {
            // A refresh of the same session (new roles, a new security stamp) keeps the items, and so its sign-in time.
            context.Properties.Items.TryAdd(SignedInAtItem, Now(context.Options).ToString("O", CultureInfo.InvariantCulture));
            return signingIn(context);
        };
        var validatePrincipal = options.Events.OnValidatePrincipal;
        options.Events.OnValidatePrincipal = async context =>
        {
            var signedInAt = SignedInAt(context.Properties);
            if (signedInAt is { } at && Now(context.Options) - at > session.AbsoluteLifetime)
            {
                context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(HardeningExtensions))
                    .LogInformation("The session of {User} signed in at {SignedInAt} reached its absolute lifetime; signed out.", context.Principal?.Identity?.Name, at);
                context.RejectPrincipal();
                await context.HttpContext.SignOutAsync(context.Scheme.Name);
                return;
            }

            await validatePrincipal(context);
        };
    }

    private static DateTimeOffset Now(CookieAuthenticationOptions options) => (options.TimeProvider ?? TimeProvider.System).GetUtcNow();

    // A cookie from before sign-in times were kept counts from its issue time.
    private static DateTimeOffset? SignedInAt(AuthenticationProperties properties) =>
        properties.Items.TryGetValue(SignedInAtItem, out var value) && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at)
            ? at
            : properties.IssuedUtc;

    private sealed class HardeningSettingsValidator : IValidateOptions<HardeningSettings>
    {
        public ValidateOptionsResult Validate(string? name, HardeningSettings options)
        {
            var problems = options.Problems().ToList();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}

/// <summary>
/// The portal's Content-Security-Policy. Scripts only from the portal's own files (the page has no inline script);
/// styles also inline, because MudBlazor sets style attributes; the circuit's WebSocket is same-origin, which
/// <c>'self'</c> covers. Forms may submit to the identity providers' origins too: the sign-in and sign-out forms
/// post to the portal, which redirects to the provider, and browsers hold such redirects to <c>form-action</c>.
/// </summary>
public sealed class ContentSecurityPolicy
{
    public ContentSecurityPolicy(IEnumerable<string> formActionOrigins)
    {
        ArgumentNullException.ThrowIfNull(formActionOrigins);
        var origins = formActionOrigins
            .Select(o => Uri.TryCreate(o, UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Authority) : null)
            .OfType<string>()
            .Distinct(StringComparer.OrdinalIgnoreCase);
        Value = string.Join("; ",
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "frame-ancestors 'none'",
            string.Join(' ', ["form-action 'self'", .. origins]));
    }

    public string Value { get; }
}
