namespace ReviewPortal.Web.Data;

/// <summary>What a <see cref="SecurityEvent"/> records.</summary>
public enum SecurityEventKind
{
    /// <summary>The break-glass administrator signed in with the account's password.</summary>
    BreakGlassSignIn,

    /// <summary>A password sign-in as the break-glass administrator failed (wrong password, locked out, rate-limited).</summary>
    BreakGlassSignInFailed,

    /// <summary>A password sign-in to another local account, refused because people sign in through single sign-on.</summary>
    PasswordSignInRefused,

    /// <summary>A person signed in through an identity provider.</summary>
    SingleSignOnSignIn,

    /// <summary>A person signed out (of the portal, and of the provider for a single sign-on).</summary>
    SignOut,

    /// <summary>A person's roles changed: read again from their identity provider, or set by an admin.</summary>
    RolesChanged,

    /// <summary>A person's sessions ended without them signing out: the provider no longer knows them, or an admin ended them.</summary>
    SessionsEnded,
}

/// <summary>
/// A security-relevant event about a person's access (a sign-in, a refusal), with who, when and from where; admins
/// read them under Admin > Security events. Rows are only ever added.
/// </summary>
public sealed class SecurityEvent
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }
    public SecurityEventKind Kind { get; set; }

    /// <summary>The account, when the event concerns one that exists.</summary>
    public string? UserId { get; set; }

    /// <summary>The name the event was about, as given (an unknown user name too).</summary>
    public required string UserName { get; set; }

    public string? Detail { get; set; }
    public string? RemoteAddress { get; set; }
}
