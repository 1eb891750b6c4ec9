using Microsoft.AspNetCore.Components;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Infrastructure.Security;

namespace ReviewPortal.Web.Features.Admin;

/// <summary>The recorded security events (sign-ins, sign-outs, role changes, ended sessions, refusals), newest first.</summary>
public partial class SecurityEventsPage
{
    private List<SecurityEvent>? events;

    [Inject]
    private SecurityEventLog Log { get; set; } = default!;

    protected override async Task OnInitializedAsync() => events = await Log.ListAsync();

    private static string Describe(SecurityEventKind kind) => kind switch
    {
        SecurityEventKind.BreakGlassSignIn => "Break-glass sign-in",
        SecurityEventKind.BreakGlassSignInFailed => "Failed break-glass sign-in",
        SecurityEventKind.PasswordSignInRefused => "Password sign-in refused (single sign-on)",
        SecurityEventKind.SingleSignOnSignIn => "Signed in (single sign-on)",
        SecurityEventKind.SignOut => "Signed out",
        SecurityEventKind.RolesChanged => "Roles changed",
        SecurityEventKind.SessionsEnded => "Sessions ended",
        _ => kind.ToString(),
    };
}
