using Microsoft.AspNetCore.Identity;
using ReviewPortal.Web.Data;

namespace ReviewPortal.Web.Features.Account;

public static class AccountExtensions
{
    /// <summary>Local ASP.NET Core Identity accounts and roles; SSO replaces the sign-in page in a later step.</summary>
    public static IServiceCollection AddPortalAccounts(this IServiceCollection services)
    {
        services.AddCascadingAuthenticationState();
        services.AddAuthentication(IdentityConstants.ApplicationScheme).AddIdentityCookies();
        services.ConfigureApplicationCookie(options =>
        {
            options.LoginPath = "/Account/Login";
            options.AccessDeniedPath = "/Account/AccessDenied";
            options.Cookie.Name = "ReviewPortal.Auth";
            options.Cookie.SameSite = SameSiteMode.Lax;
        });
        services.AddAuthorization();
        services.AddIdentityCore<PortalUser>(options =>
            {
                options.User.RequireUniqueEmail = true;
                options.Lockout.MaxFailedAccessAttempts = 10;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<PortalDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders();
        return services;
    }

    public static IEndpointRouteBuilder MapPortalAccounts(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/Account/Logout", async (SignInManager<PortalUser> signInManager) =>
        {
            await signInManager.SignOutAsync();
            return TypedResults.LocalRedirect("/Account/Login");
        });
        return endpoints;
    }
}
