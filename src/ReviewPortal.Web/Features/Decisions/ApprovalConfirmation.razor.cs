using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;
using ReviewPortal.Domain.Policy;

namespace ReviewPortal.Web.Features.Decisions;

/// <summary>Asks the reviewer to confirm an approval of exactly one commit; closes with <c>true</c> when they do.</summary>
public partial class ApprovalConfirmation
{
    private MudButton? cancel;

    [CascadingParameter]
    private IMudDialogInstance Dialog { get; set; } = default!;

    /// <summary>The head on the reviewer's screen when the dialog opened: the approval is made on this one, never on a later one.</summary>
    [Parameter, EditorRequired]
    public DecisionTarget Target { get; set; } = default!;

    /// <summary>The commit that became the head since the dialog opened, if one did; asked on every render.</summary>
    [Parameter]
    public Func<string?> Arrived { get; set; } = () => null;

    [Parameter, EditorRequired]
    public string Title { get; set; } = "";

    /// <summary>What the policy would still need once this approval is recorded; empty = it completes the policy.</summary>
    [Parameter]
    public IReadOnlyList<string> StillNeeded { get; set; } = [];

    /// <summary>Renders again, so that <see cref="Arrived"/> is asked again (the panel calls it when the change moved on).</summary>
    public Task RefreshAsync() => InvokeAsync(StateHasChanged);

    // The keyboard lands on Cancel: a stray Enter after the approve shortcut closes the dialog instead of approving.
    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender && cancel is not null)
        {
            try
            {
                await cancel.FocusAsync();
            }
            catch (JSException)
            {
                // Closed before the focus arrived; the dialog works by mouse and Tab anyway.
            }
        }
    }
}
