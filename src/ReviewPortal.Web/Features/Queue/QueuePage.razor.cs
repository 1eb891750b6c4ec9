using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Routing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;
using Radzen;
using Radzen.Blazor;
using ReviewPortal.Domain.Queue;
using ReviewPortal.Domain.Risk;
using ReviewPortal.Web.Infrastructure.Notifications;

namespace ReviewPortal.Web.Features.Queue;

/// <summary>
/// The three queue views (My queue at <c>/</c>, the security queue, all changes). The address holds the filters,
/// order and page, so links and the back button restore a view; the grid loads one page at a time from the server
/// and reloads it when a change arrives, is claimed or is decided anywhere.
/// </summary>
public partial class QueuePage
{
    private RadzenDataGrid<QueueRow>? grid;

    // Null until the first load: Radzen only calls LoadData while Data is null at start.
    private IEnumerable<QueueRow>? rows;
    private int? total;
    private bool loading;
    private string? loadError;
    private DateTimeOffset now;

    private QueueView view;
    private bool unknownView;
    private bool accessDenied;
    private QueueFilter filter = new();
    private FilterDraft draft = new();
    private IReadOnlyDictionary<string, string[]> urlErrors = new Dictionary<string, string[]>(StringComparer.Ordinal);
    private QueueViewer? viewer;
    private QueueFacets? facets;
    private bool firstLoadDone;
    private int? pagerSyncIndex;
    private string? claimMessage;
    private bool claimFailed;

    [Parameter]
    public string? ViewName { get; set; }

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    [Inject]
    private QueueQuery Query { get; set; } = default!;

    [Inject]
    private ChangeAccess Access { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    [Inject]
    private ILogger<QueuePage> Logger { get; set; } = default!;

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
        _ => "/",
    };

    private IEnumerable<RiskTier> OfferedTiers =>
        view == QueueView.All && viewer?.IsSecurityReviewer == true
            ? [RiskTier.Low, RiskTier.Medium, RiskTier.High, RiskTier.Critical]
            : [RiskTier.Low, RiskTier.Medium, RiskTier.High];

    protected override bool IsRelevant(ChangeNotification notification) =>
        notification.Activity != ChangeActivity.DiffsReady && rows is not null && !accessDenied;

    protected override QueueViewer? Viewer => viewer;

    protected override bool Shows(long changeId) => rows?.Any(r => r.Id == changeId) == true;

    protected override Task ReloadForNotificationAsync() => LoadRowsAsync();

    protected override void OnInitialized()
    {
        base.OnInitialized();
        Navigation.LocationChanged += OnLocationChanged;
    }

    protected override Task OnParametersSetAsync() => ApplyAddressAsync(ViewOf(ViewName));

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Navigation.LocationChanged -= OnLocationChanged;
        }

        base.Dispose(disposing);
    }

    // The router sets no parameters when only the query string changes (Apply, paging, the back button), so the
    // address is followed here; a change of view arrives as a parameter instead.
    private void OnLocationChanged(object? sender, LocationChangedEventArgs e)
    {
        var path = new Uri(e.Location).AbsolutePath.TrimEnd('/');
        var target = path.Length == 0 || path == "/queue" ? "mine" : path.StartsWith("/queue/", StringComparison.Ordinal) ? path["/queue/".Length..] : null;
        if (target is null || unknownView || ViewOf(target) != view)
        {
            return;
        }

        _ = InvokeAsync(async () =>
        {
            await ApplyAddressAsync(view);
            StateHasChanged();
        });
    }

    private static QueueView? ViewOf(string? name) => name?.ToLowerInvariant() switch
    {
        null or "" or "mine" => QueueView.Mine,
        "security" => QueueView.Security,
        "all" => QueueView.All,
        _ => null,
    };

    private async Task ApplyAddressAsync(QueueView? requested)
    {
        unknownView = requested is null;
        if (requested is not { } newView)
        {
            return;
        }

        var viewChanged = newView != view;
        view = newView;
        var parsed = QueueQueryString.Parse(QueryHelpers.ParseQuery(Navigation.ToAbsoluteUri(Navigation.Uri).Query), view);
        urlErrors = parsed.Errors;
        try
        {
            // Roles as the database holds them now, on every navigation: a role taken away takes the view away too.
            viewer = await Access.ViewerAsync((await AuthenticationState).User);
            if (viewer is null)
            {
                accessDenied = true;
                return;
            }

            accessDenied = view == QueueView.Security && !viewer.IsSecurityReviewer;
            if (accessDenied)
            {
                return;
            }

            facets ??= await Query.LoadFacetsAsync(viewer);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogError(ex, "Loading the queue's viewer or filter lists failed.");
            loadError = "The queue could not be loaded. Try again in a moment.";
        }

        var previous = filter;
        filter = parsed.Filter;
        draft = FilterDraft.From(filter);
        if (firstLoadDone && (viewChanged || previous != filter))
        {
            // The address changed under the grid (back button, a link, Apply): show what it says.
            await LoadRowsAsync();
            pagerSyncIndex = filter.Page - 1;
        }
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        base.OnAfterRender(firstRender);
        if (pagerSyncIndex is { } index && grid is not null && total is not null)
        {
            pagerSyncIndex = null;
            if (grid.CurrentPage != index)
            {
                // Moves the pager to the page already loaded; the LoadData it triggers finds nothing to change.
                await grid.GoToPage(index);
            }
        }
    }

    private async Task OnLoadDataAsync(LoadDataArgs args)
    {
        if (!firstLoadDone)
        {
            // The first load follows the address (a deep link to page 3 opens page 3), not the pager's start.
            firstLoadDone = true;
            await LoadRowsAsync();
            if (filter.Page > 1)
            {
                pagerSyncIndex = filter.Page - 1;
            }

            return;
        }

        var top = args.Top is > 0 ? args.Top.Value : filter.PageSize;
        var page = ((args.Skip ?? 0) / top) + 1;
        if (page == filter.Page && rows is not null)
        {
            return;
        }

        filter = filter with { Page = page };
        await LoadRowsAsync();
        Navigation.NavigateTo(BasePath + QueueQueryString.Format(filter));
    }

    private async Task LoadRowsAsync()
    {
        if (viewer is null)
        {
            rows ??= [];
            return;
        }

        loading = true;
        loadError = null;
        try
        {
            now = Clock.GetUtcNow();
            var page = await Query.LoadAsync(filter, viewer);
            rows = page.Rows;
            total = page.Total;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogError(ex, "Loading the {View} queue failed.", view);
            loadError = "The queue could not be loaded. Try again in a moment.";
            rows ??= [];
        }
        finally
        {
            loading = false;
        }
    }

    private async Task RetryAsync()
    {
        if (viewer is null)
        {
            await ApplyAddressAsync(view);
        }

        await LoadRowsAsync();
    }

    private async Task ApplyFiltersAsync()
    {
        var parsed = QueueQueryString.Parse(draft.ToQuery(), view);
        if (!parsed.IsValid)
        {
            urlErrors = parsed.Errors;
            return;
        }

        var target = BasePath + QueueQueryString.Format(parsed.Filter with { Page = 1, PageSize = filter.PageSize });
        if (parsed.Filter with { Page = 1, PageSize = filter.PageSize } == filter)
        {
            await LoadRowsAsync();
            return;
        }

        Navigation.NavigateTo(target);
    }

    private async Task ClaimChangedAsync(ClaimOutcome outcome)
    {
        claimMessage = outcome.Message;
        claimFailed = !outcome.Succeeded;
        await LoadRowsAsync();
    }

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

    /// <summary>The filter form's fields, bound as the user edits them; Apply turns them into the address.</summary>
    private sealed class FilterDraft
    {
        public string? Search { get; set; }
        public string? Repository { get; set; }
        public string? Tier { get; set; }
        public string? State { get; set; }
        public string? ModelVersion { get; set; }
        public int? OlderThanHours { get; set; }
        public bool UntracedOnly { get; set; }
        public bool SlaBreachedOnly { get; set; }
        public string Sort { get; set; } = QueueQueryString.SortName(QueueSort.Urgency);
        public bool Descending { get; set; }

        public static FilterDraft From(QueueFilter filter) => new()
        {
            Search = filter.Search,
            Repository = filter.Repository,
            Tier = filter.Tier is { } tier ? ((int)tier).ToString(CultureInfo.InvariantCulture) : null,
            State = filter.State is { } state ? QueueQueryString.StateName(state) : null,
            ModelVersion = filter.ModelVersion,
            OlderThanHours = filter.OlderThanHours,
            UntracedOnly = filter.UntracedOnly,
            SlaBreachedOnly = filter.SlaBreachedOnly,
            Sort = QueueQueryString.SortName(filter.Sort),
            Descending = filter.Descending,
        };

        public Dictionary<string, StringValues> ToQuery()
        {
            var query = new Dictionary<string, StringValues>(StringComparer.Ordinal);
            void Add(string name, string? value)
            {
                if (!string.IsNullOrWhiteSpace(value))
                {
                    query[name] = value;
                }
            }

            Add(QueueQueryString.Search, Search);
            Add(QueueQueryString.Repository, Repository);
            Add(QueueQueryString.Tier, Tier);
            Add(QueueQueryString.State, State);
            Add(QueueQueryString.Model, ModelVersion);
            Add(QueueQueryString.OlderThanHours, OlderThanHours?.ToString(CultureInfo.InvariantCulture));
            Add(QueueQueryString.Untraced, UntracedOnly ? "true" : null);
            Add(QueueQueryString.SlaBreached, SlaBreachedOnly ? "true" : null);
            Add(QueueQueryString.Sort, Sort);
            Add(QueueQueryString.Descending, Descending ? "true" : null);
            return query;
        }
    }
}
