using Microsoft.AspNetCore.Components;
using ReviewPortal.Domain.Provenance;

namespace ReviewPortal.Web.Features.Review;

/// <summary>How the change is undone and what it touches, as the agent stated it.</summary>
public partial class RollbackPanel
{
    [Parameter]
    public RollbackPlan? Plan { get; set; }
}
