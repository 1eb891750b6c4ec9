using Microsoft.AspNetCore.Components;
using ReviewPortal.Web.Data;

namespace ReviewPortal.Web.Features.Review;

/// <summary>Who and what produced the change: author, prompter, model, agent session (or that it is untraced), and the prompt.</summary>
public partial class ProvenancePanel
{
    [Parameter, EditorRequired]
    public Change Change { get; set; } = default!;
}
