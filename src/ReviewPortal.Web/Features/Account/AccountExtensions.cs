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
