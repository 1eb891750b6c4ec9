using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace ReviewPortal.Web.Features.Review;

/// <summary>The review page's keyboard shortcuts.</summary>
public partial class KeyboardHelp
{
    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    private async Task CloseAsync() => await JS.InvokeVoidAsync("ReviewPortal.closeHelp");
}
