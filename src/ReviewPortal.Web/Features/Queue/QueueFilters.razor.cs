using Microsoft.AspNetCore.Components;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Domain.Risk;
using ReviewPortal.Web.Components;

namespace ReviewPortal.Web.Features.Queue;

/// <summary>
/// The queue's filter bar. It edits a draft of <see cref="Filter"/>; Apply checks the draft as the address would be
/// checked and navigates to the address that holds it (the page follows the address), or shows what is wrong.
/// </summary>
public partial class QueueFilters
{
    private static readonly IReadOnlyDictionary<string, string[]> NoErrors = new Dictionary<string, string[]>(StringComparer.Ordinal);

    private QueueFilterDraft draft = new();
    private QueueFilter? draftOf;
    private IReadOnlyDictionary<string, string[]> draftErrors = NoErrors;

    [Parameter, EditorRequired]
    public QueueView View { get; set; }

    /// <summary>The filter the address holds now.</summary>
    [Parameter, EditorRequired]
    public QueueFilter Filter { get; set; } = new();

    /// <summary>The view's path without a query string, e.g. <c>/queue/all</c>.</summary>
    [Parameter, EditorRequired]
    public string BasePath { get; set; } = "/";

    /// <summary>What the address got wrong (parameter name: messages); shown until the address changes.</summary>
    [Parameter]
    public IReadOnlyDictionary<string, string[]> AddressErrors { get; set; } = NoErrors;

    [Parameter]
    public QueueFacets? Facets { get; set; }

    [Parameter]
    public IReadOnlyList<RiskTier> OfferedTiers { get; set; } = [RiskTier.Low, RiskTier.Medium, RiskTier.High];

    /// <summary>Apply with the filter the address already holds: the page reloads what it shows.</summary>
    [Parameter]
    public EventCallback OnReapply { get; set; }

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    protected override void OnParametersSet()
    {
        if (draftOf != Filter)
        {
            // The address moved (Apply, a link, the back button): the fields show what it holds.
            draftOf = Filter;
            draft = QueueFilterDraft.From(Filter);
            draftErrors = NoErrors;
        }
    }

    private async Task ApplyAsync()
    {
        var parsed = QueueQueryString.Parse(draft.ToQuery(), View);
        draftErrors = parsed.Errors;
        if (!parsed.IsValid)
        {
            return;
        }

        var wanted = parsed.Filter with { Page = 1, PageSize = Filter.PageSize };
        if (wanted == Filter)
        {
            await OnReapply.InvokeAsync();
            return;
        }

        Navigation.NavigateTo(BasePath + QueueQueryString.Format(wanted));
    }

    private bool Failed(string name) => draftErrors.ContainsKey(name);

    private string? ErrorOf(string name) => draftErrors.TryGetValue(name, out var messages) ? string.Join(" ", messages) : null;

    private static string StateText(string? state) =>
        Enum.GetValues<ChangeState>().Where(s => QueueQueryString.StateName(s) == state).Select(StateBadge.Label).FirstOrDefault() ?? "Any state";

    private static string SortText(string? sort) =>
        Enum.GetValues<QueueSort>().Where(s => QueueQueryString.SortName(s) == sort).Select(SortLabel).FirstOrDefault() ?? SortLabel(QueueSort.Urgency);

    private static string SortLabel(QueueSort sort) => sort switch
    {
        QueueSort.Urgency => "Urgency (SLA deadline)",
        QueueSort.Submitted => "Submitted (oldest first)",
        QueueSort.Tier => "Tier (lowest first)",
        QueueSort.Score => "Risk score (lowest first)",
        QueueSort.Id => "Number",
        QueueSort.Title => "Title",
        QueueSort.Repository => "Repository",
        QueueSort.State => "State",
        _ => sort.ToString(),
    };
}
