using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.Authorization;
using ReviewPortal.Web.Features.Shared;
using Microsoft.AspNetCore.Identity;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Features.Account.SingleSignOn;
using ReviewPortal.Web.Infrastructure.Security;

namespace ReviewPortal.Web.Features.Account;

public static class AccountExtensions
{
    /// <summary>ASP.NET Core Identity accounts and roles: local passwords, and single sign-on through the configured providers.</summary>
    public static IServiceCollection AddPortalAccounts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddCascadingAuthenticationState();
        services.AddOptions<SessionRevalidationSettings>().BindConfiguration(SessionRevalidationSettings.Section)
            .Validate(s => s.IsValid(), $"{SessionRevalidationSettings.Section}:Interval must be between one second and 30 minutes.")
            .ValidateOnStart();
        services.AddScoped<AuthenticationStateProvider, PortalAuthenticationStateProvider>();
        // The sign-in cookie follows the account as open pages do: a new security stamp ends it, and changed roles
        // replace its role claims, while what the sign-in itself established (SSO issuer and subject, auth_time) stays.
        services.AddOptions<SecurityStampValidatorOptions>().Configure<IOptions<SessionRevalidationSettings>>((options, revalidation) =>
        {
            options.ValidationInterval = revalidation.Value.Interval;
            options.OnRefreshingPrincipal = context =>
            {
                if (context.CurrentPrincipal?.Identity is ClaimsIdentity current && context.NewPrincipal?.Identity is ClaimsIdentity renewed)
                {
                    renewed.AddClaims(current.Claims.Where(c => SingleSignOnExtensions.SignInClaimTypes.Contains(c.Type)).Select(c => new Claim(c.Type, c.Value)));
                }

                return Task.CompletedTask;
            };
        });
        services.AddAuthentication(IdentityConstants.ApplicationScheme).AddIdentityCookies();
        services.ConfigureApplicationCookie(options =>
        {
            options.LoginPath = "/Account/Login";
            options.AccessDeniedPath = "/Account/AccessDenied";
            options.Cookie.Name = "ReviewPortal.Auth";
            options.Cookie.SameSite = SameSiteMode.Lax;
            // API callers get status codes, not a redirect to an HTML sign-in page.
            options.Events.OnRedirectToLogin = context => ApiAwareRedirect(context, StatusCodes.Status401Unauthorized);
            options.Events.OnRedirectToAccessDenied = context => ApiAwareRedirect(context, StatusCodes.Status403Forbidden);
        });
        services.AddAuthorization();
        // Who the caller is and what they may do with a change: one directory, one per-circuit person, one handler.
        services.AddSingleton<ReviewerDirectory>();
        services.AddSingleton<ChangeAccess>();
        services.AddScoped<CurrentReviewer>();
        services.AddScoped<IAuthorizationHandler, ChangeAuthorizationHandler>();
        services.AddIdentityCore<PortalUser>(options =>
            {
                // An email identifies nobody: two providers, or a local account and a provider, may carry the same one.
                options.User.RequireUniqueEmail = false;
                options.Lockout.MaxFailedAccessAttempts = 10;
            })
            .AddRoles<IdentityRole>()
            .AddClaimsPrincipalFactory<PortalClaimsPrincipalFactory>()
            .AddEntityFrameworkStores<PortalDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders();
        services.AddPortalSingleSignOn(configuration);
        services.AddOptions<LocalSignInSettings>().BindConfiguration(LocalSignInSettings.Section);
        services.AddScoped<PasswordSignIn>();
        services.AddSingleton<BreakGlassAccount>();
        return services;
    }

    private static Task ApiAwareRedirect(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context, int apiStatus)
    {
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            context.Response.StatusCode = apiStatus;
            return Task.CompletedTask;
        }

        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    public static IEndpointRouteBuilder MapPortalAccounts(this IEndpointRouteBuilder endpoints)
    {
        // The sign-out form binds no field, so the minimal API would not check its antiforgery token on its own.
        endpoints.MapPost("/Account/Logout", SingleSignOnExtensions.SignOutAsync).RequireAntiforgeryToken();
        endpoints.MapPortalSingleSignOn();
        return endpoints;
    }
}
