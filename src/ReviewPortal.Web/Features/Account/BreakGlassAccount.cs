using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Web.Data;

namespace ReviewPortal.Web.Features.Account;

/// <summary>Creates the configured break-glass administrator at start-up, and keeps it an admin.</summary>
public sealed class BreakGlassAccount(IOptions<LocalSignInSettings> settings, ILogger<BreakGlassAccount> logger)
{
    public async Task EnsureAsync(UserManager<PortalUser> users)
    {
        ArgumentNullException.ThrowIfNull(users);
        if (settings.Value.BreakGlassUserName?.Trim() is not { Length: > 0 } userName)
        {
            return;
        }

        var user = await users.FindByNameAsync(userName);
        if (user is null)
        {
            if (settings.Value.BreakGlassPassword is not { Length: > 0 } password)
            {
                logger.LogWarning("{Section}:BreakGlassUserName names {UserName}, which does not exist, and no BreakGlassPassword is set to create it: there is no break-glass sign-in.",
                    LocalSignInSettings.Section, userName);
                return;
            }

            user = new PortalUser { UserName = userName, Email = userName, EmailConfirmed = true, DisplayName = "Break-glass administrator" };
            var created = await users.CreateAsync(user, password);
            if (!created.Succeeded)
            {
                throw new InvalidOperationException($"Could not create the break-glass account {userName} ({LocalSignInSettings.Section}): {string.Join("; ", created.Errors.Select(e => e.Description))}");
            }

            logger.LogInformation("Created the break-glass administrator {UserName}.", userName);
        }

        if (!await users.IsInRoleAsync(user, PortalRoles.Admin))
        {
            await users.AddToRoleAsync(user, PortalRoles.Admin);
        }
    }
}
