using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using ReviewPortal.Domain.Queue;
using ReviewPortal.Web.Data;
using ReviewPortal.Domain.People;
using ReviewPortal.Web.Features.Shared;

namespace ReviewPortal.Web.Features.Queue;

/// <summary>
/// The review page's claim control: who has <see cref="Change"/>, and Claim/Release for the signed-in reviewer.
/// After a claim or release (won or lost) it calls <see cref="OnChanged"/> so the host reloads the change.
/// </summary>
public partial class ClaimControl
{
    private Reviewer? viewer;
    private bool loaded;
    private ClaimSubject subject = default!;

    [Parameter, EditorRequired]
    public Change Change { get; set; } = default!;

    [Parameter]
    public EventCallback OnChanged { get; set; }

    [CascadingParameter]
    private Task<AuthenticationState>? AuthenticationState { get; set; }

    [Inject]
    private CurrentReviewer Reviewers { get; set; } = default!;

    protected override async Task OnParametersSetAsync()
    {
        subject = ClaimService.Subject(Change);
        if (AuthenticationState is null)
        {
            return;
        }

        // Roles as the database held them when the circuit's person was last read: the buttons match what the server allows.
        viewer = await Reviewers.GetAsync((await AuthenticationState).User);
        loaded = true;
    }

    private Task ChangedAsync(ClaimOutcome outcome) => OnChanged.InvokeAsync();
}
