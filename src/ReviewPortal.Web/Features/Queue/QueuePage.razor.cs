using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Primitives;
using MudBlazor;
using ReviewPortal.Domain.Queue;
using ReviewPortal.Domain.Risk;
using ReviewPortal.Web.Components;
using ReviewPortal.Web.Infrastructure.Notifications;
using ReviewPortal.Web.Features.Shared;
using ReviewPortal.Domain.People;

namespace ReviewPortal.Web.Features.Queue;

/// <summary>
/// The three queue views (My queue, the security queue, all changes). The address holds the filters, order and
/// page, so links and the back button restore a view; the grid loads one page at a time from the server and reloads
/// when the address changes or a change arrives, is claimed or is decided anywhere.
/// </summary>
/// <remarks>
/// Every load reads the filter in force when it starts, and runs through <see cref="LatestLoad{TResult}"/>: a load
/// that an address change overtook is cancelled, and if it still finishes last the grid is given the newest load's
/// page instead, so the rows and the total always belong to the address.
/// </remarks>
public partial class QueuePage
{
    private static readonly IReadOnlyDictionary<string, string[]> NoErrors = new Dictionary<string, string[]>(StringComparer.Ordinal);

    private readonly LatestLoad<QueueLoad> loads = new();
    private MudDataGrid<QueueRow>? grid;

    // The load the grid shows: its filter, its page and when it was read (the SLA badges measure from then).
    private QueueLoad? shown;

    private QueueView view;
    private bool unknownView;
    private bool accessDenied;
    private QueueFilter filter = new();
    private IReadOnlyDictionary<string, string[]> addressErrors = NoErrors;
    private ChangeViewer? viewer;
    private QueueFacets? facets;
    private string? claimMessage;
    private bool claimFailed;

    [Parameter]
    public string? ViewName { get; set; }

    [SupplyParameterFromQuery(Name = QueueQueryString.Search)]
    public string[]? Search { get; set; }

    [SupplyParameterFromQuery(Name = QueueQueryString.Repository)]
    public string[]? Repository { get; set; }

    [SupplyParameterFromQuery(Name = QueueQueryString.Tier)]
    public string[]? Tier { get; set; }

    [SupplyParameterFromQuery(Name = QueueQueryString.State)]
    public string[]? State { get; set; }

    [SupplyParameterFromQuery(Name = QueueQueryString.Model)]
    public string[]? Model { get; set; }

    [SupplyParameterFromQuery(Name = QueueQueryString.Untraced)]
    public string[]? Untraced { get; set; }

    [SupplyParameterFromQuery(Name = QueueQueryString.OlderThanHours)]
    public string[]? OlderThanHours { get; set; }

    [SupplyParameterFromQuery(Name = QueueQueryString.SlaBreached)]
    public string[]? SlaBreached { get; set; }

    [SupplyParameterFromQuery(Name = QueueQueryString.Sort)]
    public string[]? Sort { get; set; }

    [SupplyParameterFromQuery(Name = QueueQueryString.Descending)]
    public string[]? Descending { get; set; }

    [SupplyParameterFromQuery(Name = QueueQueryString.Page)]
    public string[]? Page { get; set; }

    [SupplyParameterFromQuery(Name = QueueQueryString.PageSize)]
    public string[]? PageSize { get; set; }

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    [Inject]
    private IQueueRows Rows { get; set; } = default!;

    [Inject]
    private QueueQuery Query { get; set; } = default!;

    [Inject]
    private CurrentReviewer Reviewers { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    private ReviewSla Sla => Query.Sla;

    private string Heading => view switch
    {
        QueueView.Security => "Security queue",
        QueueView.All => "All changes",
        _ => "My queue",
    };

    private string Scope => view switch
    {
        QueueView.Security => "Tier-4 changes waiting for review, most urgent first. Two security reviewers must approve each.",
        QueueView.All => viewer?.IsSecurityReviewer == true ? "Every change, in every state." : "Every change of tiers 1-3, in every state.",
        _ => "Tier 1-3 changes waiting for review that are assigned to you or to nobody, most urgent first.",
    };

    private string BasePath => view switch
    {
        QueueView.Security => "/queue/security",
        QueueView.All => "/queue/all",
        _ => "/queue/mine",
    };

    private IReadOnlyList<RiskTier> OfferedTiers =>
        view == QueueView.All && viewer?.IsSecurityReviewer == true
            ? [RiskTier.Low, RiskTier.Medium, RiskTier.High, RiskTier.Critical]
            : [RiskTier.Low, RiskTier.Medium, RiskTier.High];

    private int PageCount => shown is null ? 0 : (int)Math.Ceiling(shown.Result.Total / (double)shown.Filter.PageSize);

    protected override ChangeViewer? Viewer => viewer;

    protected override bool IsRelevant(ChangeNotification notification) =>
        notification.Activity != ChangeActivity.DiffsReady && shown is not null && !accessDenied;

    protected override bool Shows(long changeId) => shown?.Result.Rows.Any(r => r.Id == changeId) == true;

    protected override Task ReloadForNotificationAsync() => ReloadAsync();

    protected override async Task OnParametersSetAsync()
    {
        if (ViewOf(ViewName) is not { } requested)
        {
            unknownView = true;
            return;
        }

        unknownView = false;

        // The filter is set before anything is awaited: a load that starts from here on reads the address's filter.
        var viewChanged = requested != view;
        view = requested;
        var parsed = QueueQueryString.Parse(AddressQuery(), view);
        addressErrors = parsed.Errors;
        var filterChanged = parsed.Filter != filter;
        filter = parsed.Filter;

        // The person as the database knows them (read again whenever their roles change): a role taken away takes the view away too.
        viewer = await Reviewers.ViewerAsync((await AuthenticationState).User);
        accessDenied = viewer is null || (view == QueueView.Security && !viewer.IsSecurityReviewer);
        if (accessDenied)
        {
            // The grid goes with the view; a new one loads for itself when it first renders.
            grid = null;
            return;
        }

        facets ??= await Query.LoadFacetsAsync(viewer!);
        if (grid is not null && (viewChanged || filterChanged))
        {
            // The address changed under a grid that is showing (Apply, paging, a link, the back button).
            await ReloadAsync();
        }
    }

    private static QueueView? ViewOf(string? name) => name?.ToLowerInvariant() switch
    {
        null or "" or "mine" => QueueView.Mine,
        "security" => QueueView.Security,
        "all" => QueueView.All,
        _ => null,
    };

    // Each value as the address gives it (a name given twice is reported by Parse, as the API reports it).
    private Dictionary<string, StringValues> AddressQuery() => QueueQueryString.Query(
        (QueueQueryString.Search, Search), (QueueQueryString.Repository, Repository), (QueueQueryString.Tier, Tier),
        (QueueQueryString.State, State), (QueueQueryString.Model, Model), (QueueQueryString.Untraced, Untraced),
        (QueueQueryString.OlderThanHours, OlderThanHours), (QueueQueryString.SlaBreached, SlaBreached),
        (QueueQueryString.Sort, Sort), (QueueQueryString.Descending, Descending), (QueueQueryString.Page, Page),
        (QueueQueryString.PageSize, PageSize));

    // The grid's data callback. The page and order come from the address, not from the grid's own state: the pager
    // below the grid navigates, and the address is what a load reads.
    private async Task<GridData<QueueRow>> LoadPageAsync(GridState<QueueRow> state, CancellationToken cancellationToken)
    {
        var requested = filter;
        var forViewer = viewer!;
        var load = await loads.RunAsync(
            async token => new QueueLoad(requested, await Rows.LoadAsync(requested, forViewer, token), Clock.GetUtcNow()),
            cancellationToken);
        shown = load;
        // The header's total and the pager are the page's, outside the grid.
        StateHasChanged();
        return new GridData<QueueRow> { Items = load.Result.Rows, TotalItems = load.Result.Total };
    }

    private Task ReloadAsync() => grid?.ReloadServerData() ?? Task.CompletedTask;

    private void GoToPage(int page) => Navigation.NavigateTo(BasePath + QueueQueryString.Format(filter with { Page = page }));

    private async Task ClaimChangedAsync(ClaimOutcome outcome)
    {
        claimMessage = outcome.Message;
        claimFailed = !outcome.Succeeded;
        await ReloadAsync();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            loads.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>A loaded page of the queue, with the filter it was loaded for and the moment it was read.</summary>
    private sealed record QueueLoad(QueueFilter Filter, QueueResult Result, DateTimeOffset At);
}
