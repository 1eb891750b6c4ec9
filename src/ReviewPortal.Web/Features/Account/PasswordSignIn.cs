using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Features.Account.SingleSignOn;
using ReviewPortal.Web.Infrastructure.Security;

namespace ReviewPortal.Web.Features.Account;

public enum PasswordSignInOutcome
{
    SignedIn,
    WrongPassword,
    LockedOut,

    /// <summary>Single sign-on is configured and the account is not the break-glass administrator.</summary>
    SingleSignOnOnly,

    /// <summary>Too many failures from this address; try again after <see cref="PasswordSignInResult.RetryAfter"/>.</summary>
    Throttled,
}

public sealed record PasswordSignInResult(PasswordSignInOutcome Outcome, TimeSpan RetryAfter = default);

/// <summary>
/// A sign-in with a local account's password: limited per remote address, refused under single sign-on except for the
/// break-glass administrator, whose every attempt is recorded as a security event.
/// </summary>
public sealed class PasswordSignIn(
    SignInManager<PortalUser> signInManager,
    FailureThrottle throttle,
    SecurityEventLog securityEvents,
    IOptions<LocalSignInSettings> settings,
    IOptions<SingleSignOnSettings> singleSignOn,
    ILogger<PasswordSignIn> logger)
{
    /// <summary>Whether people sign in through single sign-on, with a password only as the break-glass administrator.</summary>
    public bool SingleSignOnOnly => singleSignOn.Value.Providers.Count > 0 && !settings.Value.KeepPasswordsWithSingleSignOn;

    public async Task<PasswordSignInResult> SignInAsync(string userName, string password, HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(userName);
        ArgumentNullException.ThrowIfNull(http);
        var address = FailureThrottle.AddressOf(http);
        var breakGlass = settings.Value.IsBreakGlass(userName);
        if (!throttle.MayTry(FailureKind.SignIn, address, out var retryAfter))
        {
            logger.LogWarning("Refused a password sign-in for {UserName} from {Remote}: too many failed sign-ins from there.", userName, address);
            if (breakGlass)
            {
                await securityEvents.RecordAsync(SecurityEventKind.BreakGlassSignInFailed, userName, await UserIdAsync(userName), "rate-limited: too many failed sign-ins from this address", http);
            }

            return new(PasswordSignInOutcome.Throttled, retryAfter);
        }

        if (SingleSignOnOnly && !breakGlass)
        {
            // The password is not checked: under single sign-on a local password must not even say whether it is right.
            throttle.RecordFailure(FailureKind.SignIn, address);
            logger.LogWarning("Refused a password sign-in for {UserName} from {Remote}: people sign in through single sign-on.", userName, address);
            await securityEvents.RecordAsync(SecurityEventKind.PasswordSignInRefused, userName, await UserIdAsync(userName), "password sign-in is off under single sign-on", http);
            return new(PasswordSignInOutcome.SingleSignOnOnly);
        }

        var result = await signInManager.PasswordSignInAsync(userName, password, isPersistent: false, lockoutOnFailure: true);
        var outcome = result.Succeeded ? PasswordSignInOutcome.SignedIn : result.IsLockedOut ? PasswordSignInOutcome.LockedOut : PasswordSignInOutcome.WrongPassword;
        if (result.Succeeded)
        {
            logger.LogInformation("User {UserName} signed in with a password.", userName);
        }
        else
        {
            throttle.RecordFailure(FailureKind.SignIn, address);
            logger.LogWarning("Failed sign-in for {UserName} from {Remote} (locked out: {LockedOut}).", userName, address, result.IsLockedOut);
        }

        if (breakGlass)
        {
            await securityEvents.RecordAsync(result.Succeeded ? SecurityEventKind.BreakGlassSignIn : SecurityEventKind.BreakGlassSignInFailed,
                userName, await UserIdAsync(userName), result.Succeeded ? null : outcome == PasswordSignInOutcome.LockedOut ? "locked out" : "wrong user name or password", http);
        }

        return new(outcome);
    }

    private async Task<string?> UserIdAsync(string userName) => (await signInManager.UserManager.FindByNameAsync(userName))?.Id;
}
