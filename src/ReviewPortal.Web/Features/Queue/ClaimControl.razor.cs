using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using ReviewPortal.Domain.Queue;
using ReviewPortal.Web.Data;

namespace ReviewPortal.Web.Features.Queue;

/// <summary>
/// The review page's claim control: who has <see cref="Change"/>, and Claim/Release for the signed-in reviewer.
/// After a claim or release (won or lost) it calls <see cref="OnChanged"/> so the host reloads the change.
/// </summary>
public partial class ClaimControl
{
    private PortalPerson? viewer;
    private string? viewerLoadedFor;
    private ClaimSubject subject = default!;

    [Parameter, EditorRequired]
    public Change Change { get; set; } = default!;

    [Parameter]
    public EventCallback OnChanged { get; set; }

    [CascadingParameter]
    private Task<AuthenticationState>? AuthenticationState { get; set; }

    [Inject]
    private ChangeAccess Access { get; set; } = default!;

    protected override async Task OnParametersSetAsync()
    {
        subject = ClaimService.Subject(Change);
        if (AuthenticationState is null)
        {
            return;
        }

        var user = (await AuthenticationState).User;
        var userId = user.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value;
        if (userId is not null && !string.Equals(viewerLoadedFor, userId, StringComparison.Ordinal))
        {
            // Roles as the database holds them now: the buttons then match what the server will allow.
            viewer = await Access.PersonAsync(user);
            viewerLoadedFor = userId;
        }
    }

    private Task ChangedAsync(ClaimOutcome outcome) => OnChanged.InvokeAsync();
}
