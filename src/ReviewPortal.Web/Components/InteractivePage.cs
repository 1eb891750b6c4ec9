using Microsoft.AspNetCore.Components;

namespace ReviewPortal.Web.Components;

/// <summary>
/// A page rendered over a circuit that says so in its markup (<c>data-interactive="true"</c>) once the circuit has
/// rendered it: before that, a prerendered page shows but does not handle clicks, and browser tests wait for it.
/// </summary>
public abstract class InteractivePage : ComponentBase
{
    protected string InteractiveMarker => Interactive ? "true" : "false";

    private bool Interactive { get; set; }

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender)
        {
            Interactive = true;
            StateHasChanged();
        }
    }
}
