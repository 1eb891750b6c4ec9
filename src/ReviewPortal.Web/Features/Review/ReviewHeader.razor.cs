using Microsoft.AspNetCore.Components;
using ReviewPortal.Web.Data;

namespace ReviewPortal.Web.Features.Review;

/// <summary>The review page's header: the change, its badges and author, its policy needs and claim, its revisions.</summary>
public partial class ReviewHeader
{
    [Parameter, EditorRequired]
    public ReviewModel Model { get; set; } = default!;

    /// <summary>The change was claimed or released here.</summary>
    [Parameter]
    public EventCallback OnChanged { get; set; }

    private Change Change => Model.Change;

    private string AuthorNote
    {
        get
        {
            if (!Change.IsAgentAuthored)
            {
                return "(human-authored: the baseline)";
            }

            var agent = new[] { Change.AgentTool, Change.ModelVersion }.Where(s => !string.IsNullOrWhiteSpace(s)).ToList();
            return agent.Count == 0 ? "(agent)" : $"(agent: {string.Join(", ", agent)})";
        }
    }
}
