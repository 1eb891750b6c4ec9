using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using ReviewPortal.Domain.Queue;
using ReviewPortal.Domain.People;

namespace ReviewPortal.Web.Features.Queue;

/// <summary>
/// Who has a change, with Claim (when the viewer may take it) or Release (when the viewer has it). The buttons are a
/// convenience: <see cref="ClaimService"/> checks everything again against the database.
/// </summary>
public partial class ClaimButtons
{
    private bool busy;
    private string? message;
    private bool failed;

    [Parameter, EditorRequired]
    public long ChangeId { get; set; }

    [Parameter, EditorRequired]
    public string ChangeTitle { get; set; } = "";

    [Parameter, EditorRequired]
    public ClaimSubject Subject { get; set; } = default!;

    /// <summary>The signed-in person with their current roles; null shows the assignee only.</summary>
    [Parameter]
    public Reviewer? Viewer { get; set; }

    /// <summary>Shows the outcome next to the buttons (the review page); the queue shows it above its grid instead.</summary>
    [Parameter]
    public bool ShowMessage { get; set; }

    [Parameter]
    public EventCallback<ClaimOutcome> OnChanged { get; set; }

    [CascadingParameter]
    private Task<AuthenticationState>? AuthenticationState { get; set; }

    [Inject]
    private ClaimService Claims { get; set; } = default!;

    private bool IsMine => Viewer is not null && string.Equals(Subject.AssignedToId, Viewer.UserId, StringComparison.Ordinal);

    private bool IsOwnChange => Viewer is not null && Subject.AssignedToId is null && Viewer.IsAuthorOrPrompter(Subject.Author, Subject.Prompter);

    private bool CanClaim => Viewer is not null && Subject.AssignedToId is null && ReviewerClaims.CanClaim(Subject, Viewer, holderMayKeepIt: true).Allowed;

    private Task ClaimAsync() => RunAsync(user => Claims.ClaimAsync(ChangeId, user));

    private Task ReleaseAsync() => RunAsync(user => Claims.ReleaseAsync(ChangeId, user));

    private async Task RunAsync(Func<System.Security.Claims.ClaimsPrincipal, Task<ClaimOutcome>> action)
    {
        if (busy || AuthenticationState is null)
        {
            return;
        }

        busy = true;
        ClaimOutcome outcome;
        try
        {
            var state = await AuthenticationState;
            outcome = await action(state.User);
        }
        finally
        {
            busy = false;
        }

        message = outcome.Message;
        failed = !outcome.Succeeded;
        await OnChanged.InvokeAsync(outcome);
    }
}
