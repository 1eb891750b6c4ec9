using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using ReviewPortal.Web.Features.Account.SingleSignOn;
using ReviewPortal.Web.Infrastructure;
using ReviewPortal.Web.Infrastructure.Security;

namespace ReviewPortal.Web.Features.Account;

/// <summary>
/// The sign-in page: the identity providers' buttons, and the password form for local accounts. Under single sign-on
/// the password form is the break-glass administrator's, behind a discreet link.
/// </summary>
public partial class Login
{
    /// <summary>The query value of the break-glass view (<c>?mode=break-glass</c>).</summary>
    public const string BreakGlassMode = "break-glass";

    private string? errorMessage;

    [CascadingParameter]
    private HttpContext HttpContext { get; set; } = default!;

    [Inject]
    private PasswordSignIn PasswordSignIn { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private IOptions<DemoSettings> Demo { get; set; } = default!;

    [Inject]
    private IOptions<SingleSignOnSettings> SingleSignOn { get; set; } = default!;

    [SupplyParameterFromForm]
    private LoginInput Input { get; set; } = default!;

    [SupplyParameterFromQuery]
    private string? ReturnUrl { get; set; }

    [SupplyParameterFromQuery(Name = "mode")]
    private string? Mode { get; set; }

    /// <summary>Why a sign-in through a provider did not complete (set by the SSO endpoints, never free text).</summary>
    [SupplyParameterFromQuery(Name = "error")]
    private string? ExternalErrorCode { get; set; }

    private bool ShowBreakGlass => PasswordSignIn.SingleSignOnOnly && string.Equals(Mode, BreakGlassMode, StringComparison.Ordinal);

    private bool ShowPasswordForm => !PasswordSignIn.SingleSignOnOnly || ShowBreakGlass;

    private string BreakGlassHref => $"/Account/Login?mode={BreakGlassMode}&returnUrl={Uri.EscapeDataString(ReturnUrls.LocalOrRoot(ReturnUrl))}";

    private string? ExternalError => ExternalErrorCode switch
    {
        null or "" => null,
        ExternalSignInError.Cancelled => "The sign-in was cancelled at the identity provider. Nothing was changed.",
        ExternalSignInError.UnknownProvider => "That identity provider is not configured here.",
        _ => "The sign-in through the identity provider did not complete. Try again; if it keeps failing, ask an administrator.",
    };

    protected override void OnInitialized() => Input ??= new();

    private async Task SignInAsync()
    {
        var result = await PasswordSignIn.SignInAsync(Input.Email, Input.Password, HttpContext);
        switch (result.Outcome)
        {
            case PasswordSignInOutcome.SignedIn:
                Navigation.NavigateTo(ReturnUrls.LocalOrRoot(ReturnUrl), forceLoad: true);
                return;
            case PasswordSignInOutcome.Throttled:
                HttpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                HttpContext.Response.Headers.RetryAfter = FailureThrottle.RetryAfterSeconds(result.RetryAfter);
                errorMessage = $"Too many failed sign-ins from your address. Try again in {FailureThrottle.RetryAfterSeconds(result.RetryAfter)} seconds.";
                return;
            case PasswordSignInOutcome.SingleSignOnOnly:
                errorMessage = "Password sign-in is off here: sign in with your company account (the button above). Only the break-glass administrator signs in with a password.";
                return;
            case PasswordSignInOutcome.LockedOut:
                errorMessage = "This account is locked after too many failed attempts. Try again later.";
                return;
            default:
                errorMessage = "Wrong email or password.";
                return;
        }
    }

    private sealed class LoginInput
    {
        [Required(ErrorMessage = "Email is required."), EmailAddress(ErrorMessage = "Email must be an email address.")]
        public string Email { get; set; } = "";

        [Required(ErrorMessage = "Password is required.")]
        public string Password { get; set; } = "";
    }
}
