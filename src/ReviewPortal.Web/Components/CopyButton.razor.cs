using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;

namespace ReviewPortal.Web.Components;

public partial class CopyButton
{
    /// <summary>The text put on the clipboard.</summary>
    [Parameter, EditorRequired]
    public string Text { get; set; } = "";

    /// <summary>What is copied, in words ("webhook URL"): the button's accessible name and the outcome's message.</summary>
    [Parameter, EditorRequired]
    public string What { get; set; } = "";

    [Parameter]
    public string? TestId { get; set; }

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    private async Task CopyAsync()
    {
        try
        {
            await JS.InvokeVoidAsync("navigator.clipboard.writeText", Text);
            Snackbar.Add($"The {What} is copied.", Severity.Success);
        }
        catch (JSException)
        {
            // A browser may refuse the clipboard (no permission, page not focused): the value is on screen to copy by hand.
            Snackbar.Add($"The browser did not allow copying: select the {What} and copy it by hand.", Severity.Warning);
        }
    }
}
