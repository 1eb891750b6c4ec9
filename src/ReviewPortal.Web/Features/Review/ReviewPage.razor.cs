using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using ReviewPortal.Domain.Policy;
using ReviewPortal.Web.Components;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Infrastructure.Notifications;
using ReviewPortal.Web.Features.Shared;

namespace ReviewPortal.Web.Features.Review;

/// <summary>
/// The review page. The access check runs before anything of the change is read; then the change and its file list
/// load (no contents: <see cref="DiffFileList"/> loads each file's diff when it is wanted). Live updates
/// (<see cref="LivePage"/>) bring in diffs the worker finishes and decisions of others.
/// </summary>
public partial class ReviewPage : LivePage, IAsyncDisposable
{
    /// <summary>While diffs are still computing the page also looks again at this interval, in case a notification was lost.</summary>
    private static readonly TimeSpan PendingRecheck = TimeSpan.FromSeconds(3);

    private ChangeAccessResult? access;
    private ReviewModel? model;
    private string? userId;
    private DiffViewMode mode;
    private bool keysReady;
    private Timer? pendingTimer;

    /// <summary>What a decision is made on: set by each navigation, kept by live reloads (see <see cref="DecisionPanel.Target"/>).</summary>
    private DecisionPin? pinned;

    [Parameter]
    public long Id { get; set; }

    [SupplyParameterFromQuery(Name = "revision")]
    public int? RevisionNumber { get; set; }

    [SupplyParameterFromQuery(Name = "since")]
    public int? SinceRevision { get; set; }

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    [Inject]
    private IAuthorizationService Authorization { get; set; } = default!;

    [Inject]
    private ReviewQuery Query { get; set; } = default!;

    [Inject]
    private ReviewPreferences Preferences { get; set; } = default!;

    /// <summary>Another revision or interdiff is another file list, with its own loaded diffs and its own page script.</summary>
    private string FileListKey => $"{model!.Revision.Id}:{model.EarlierRevisionId}";

    protected override async Task OnParametersSetAsync()
    {
        var user = (await AuthenticationState).User;
        userId = ReviewerDirectory.UserIdOf(user);
        // Nothing of the change is read before this answers.
        access = await Authorization.CheckChangeAsync(user, Id);
        if (access != ChangeAccessResult.Allowed)
        {
            model = null;
            return;
        }

        mode = await Preferences.DiffModeAsync(userId);
        // Access was checked above, for this very render. A navigation pins what it shows as the decision target.
        await LoadModelAsync(navigated: true);
    }

    protected override void OnAfterRender(bool firstRender)
    {
        base.OnAfterRender(firstRender);
        if (firstRender)
        {
            pendingTimer = new Timer(_ => _ = InvokeAsync(RecheckPendingAsync), null, PendingRecheck, PendingRecheck);
        }
    }

    protected override bool IsRelevant(ChangeNotification notification) =>
        notification.ChangeId == Id && access == ChangeAccessResult.Allowed;

    protected override Task ReloadForNotificationAsync() => ReloadAsync();

    /// <summary>
    /// Checks access again (the change's tier or the reader's roles may have moved since the page opened), then reloads
    /// the change and its file list; the file list keeps the diffs it loaded.
    /// </summary>
    private async Task ReloadAsync()
    {
        if (await Authorization.CheckChangeAsync((await AuthenticationState).User, Id) is var answer && answer != ChangeAccessResult.Allowed)
        {
            access = answer;
            model = null;
            return;
        }

        await LoadModelAsync(navigated: false);
    }

    /// <summary>
    /// Loads the change and its file list, once access has been checked. A navigation pins what it loaded as the
    /// decision target; a live reload keeps the pin. The model and its pin change together, after the load, so a
    /// render while it loads still shows the previous pair.
    /// </summary>
    private async Task LoadModelAsync(bool navigated)
    {
        var loaded = await Query.LoadAsync(Id, RevisionNumber, SinceRevision, userId);
        model = loaded;
        if (loaded is null)
        {
            access = ChangeAccessResult.NotFound;
            return;
        }

        if (navigated || pinned is null)
        {
            pinned = new DecisionPin(new DecisionTarget(loaded.Revision.Number, loaded.IsLatest ? loaded.Change.HeadSha : null), loaded.IsLatest);
        }
    }

    private async Task RecheckPendingAsync()
    {
        if (model?.Files.Any(f => f.Diff == DiffAvailability.Pending) == true)
        {
            await ReloadAsync();
            StateHasChanged();
        }
    }

    private sealed record DecisionPin(DecisionTarget Target, bool WasHead);

    public async ValueTask DisposeAsync()
    {
        if (pendingTimer is not null)
        {
            await pendingTimer.DisposeAsync();
        }

        Dispose();
        GC.SuppressFinalize(this);
    }
}
