using Microsoft.AspNetCore.Components;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Infrastructure.Security;

namespace ReviewPortal.Web.Features.Admin;

/// <summary>The recorded security events (break-glass sign-ins and refused password sign-ins), newest first.</summary>
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
        _ => kind.ToString(),
    };
}
