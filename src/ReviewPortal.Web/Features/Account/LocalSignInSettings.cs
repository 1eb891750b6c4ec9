namespace ReviewPortal.Web.Features.Account;

/// <summary>
/// <c>Authentication:LocalSignIn</c>: password sign-ins to local accounts. With single sign-on configured, only the
/// break-glass administrator signs in with a password.
/// </summary>
public sealed class LocalSignInSettings
{
    public const string Section = "Authentication:LocalSignIn";

    /// <summary>The break-glass administrator's user name (an email address, as the sign-in form asks); empty: none.</summary>
    public string? BreakGlassUserName { get; set; }

    /// <summary>
    /// The password the break-glass account is created with at start-up when it does not exist yet (from a secret store,
    /// never a committed file). An existing account keeps its password: change it there, not here.
    /// </summary>
    public string? BreakGlassPassword { get; set; }

    /// <summary>
    /// Keeps every local account's password sign-in while single sign-on is configured: for moving an installation
    /// over (and for the end-to-end tests, whose seeded accounts predate it). Off by default.
    /// </summary>
    public bool KeepPasswordsWithSingleSignOn { get; set; }

    public bool IsBreakGlass(string? userName) =>
        BreakGlassUserName is { Length: > 0 } breakGlass && string.Equals(breakGlass.Trim(), userName?.Trim(), StringComparison.OrdinalIgnoreCase);
}
