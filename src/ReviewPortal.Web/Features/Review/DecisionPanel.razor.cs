using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Web.Features.Decisions;

namespace ReviewPortal.Web.Features.Review;

public partial class DecisionPanel
{
    private string? reason;
    private string? message;
    private bool succeeded;
    private bool busy;

    [Parameter, EditorRequired]
    public long ChangeId { get; set; }

    [Parameter, EditorRequired]
    public ChangeState State { get; set; }

    /// <summary>Raised after every attempt, so the page reloads what is now true (also after a lost race).</summary>
    [Parameter]
    public EventCallback OnDecided { get; set; }

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    [Inject]
    private DecisionService Decisions { get; set; } = default!;

    private async Task DecideAsync(DecisionKind kind)
    {
        busy = true;
        message = null;
        try
        {
            var user = (await AuthenticationState).User;
            var outcome = await Decisions.DecideAsync(ChangeId, user, kind, reason);
            succeeded = outcome.Succeeded;
            message = outcome.Message;
            if (outcome.Succeeded)
            {
                reason = null;
            }

            await OnDecided.InvokeAsync();
        }
        finally
        {
            busy = false;
        }
    }
}
