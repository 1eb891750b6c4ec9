using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.JSInterop;
using ReviewPortal.Domain.Policy;
using ReviewPortal.Web.Components;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Features.Queue;
using ReviewPortal.Web.Infrastructure.Notifications;

namespace ReviewPortal.Web.Features.Review;

/// <summary>
/// The review page. The access check runs before anything of the change is read; then the change and its file
/// list load (no contents), and each file's contents and stored diff load when the file is rendered: the first
/// <see cref="InitialFiles"/> at once, the rest as they come near the viewport (the page script reports it) or are
/// jumped to. Live updates (<see cref="LivePage"/>) bring in diffs the worker finishes and decisions of others.
/// </summary>
public partial class ReviewPage : LivePage, IAsyncDisposable
{
    public const int InitialFiles = 3;

    /// <summary>
    /// The prerendered page and the circuit's first render carry only the first files (the tree lists all of them);
    /// the other files' placeholders follow in chunks once keys are handled, so a 300-file change is interactive fast.
    /// </summary>
    public const int FirstRenderedFiles = 10;

    private const int RenderChunk = 50;

    /// <summary>While diffs are still computing the page also looks again at this interval, in case a notification was lost.</summary>
    private static readonly TimeSpan PendingRecheck = TimeSpan.FromSeconds(3);

    private readonly Dictionary<string, FileContentState> contents = new(StringComparer.Ordinal);
    private readonly HashSet<string> wanted = new(StringComparer.Ordinal);
    private readonly HashSet<string> loadRequested = new(StringComparer.Ordinal);

    private ChangeAccessResult? access;
    private ReviewModel? model;
    private string? loadError;
    private string? actionError;
    private string? userId;
    private DiffViewMode mode;
    private int current;
    private int? scrollTo;
    private string? loadedFor;
    private ElementReference pageRoot;
    private DotNetObjectReference<ReviewPage>? selfReference;
    /// <summary>The page script is attached, so keys are handled (the markup says so for tests and the benchmark).</summary>
    private bool scriptAttached;
    private string? navigationNote;
    private string? navigationEdge;
    private Timer? pendingTimer;
    private int renderedCount = FirstRenderedFiles;
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
    private ChangeAccess Access { get; set; } = default!;

    [Inject]
    private ReviewQuery Query { get; set; } = default!;

    [Inject]
    private ReviewPreferences Preferences { get; set; } = default!;

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    [Inject]
    private ILogger<ReviewPage> Logger { get; set; } = default!;

    private IReadOnlyList<ReviewFileEntry> Files => model?.Files ?? [];

    private IReadOnlyList<ReviewFileEntry> RenderedFiles =>
        Files.Count <= renderedCount ? Files : Files.Take(renderedCount).ToList();

    private static string AuthorNote(Change change)
    {
        if (!change.IsAgentAuthored)
        {
            return "(human-authored: the baseline)";
        }

        var agent = new[] { change.AgentTool, change.ModelVersion }.Where(s => !string.IsNullOrWhiteSpace(s)).ToList();
        return agent.Count == 0 ? "(agent)" : $"(agent: {string.Join(", ", agent)})";
    }

    protected override async Task OnParametersSetAsync()
    {
        var user = (await AuthenticationState).User;
        userId = user.FindFirstValue(ClaimTypes.NameIdentifier);
        try
        {
            // Nothing of the change is read before this answers.
            access = await Access.CheckAsync(user, Id);
            if (access != ChangeAccessResult.Allowed)
            {
                model = null;
                return;
            }

            mode = await Preferences.DiffModeAsync(userId);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogError(ex, "Checking access to change {ChangeId} failed.", Id);
            loadError = "This change could not be loaded. Try again in a moment.";
            return;
        }

        var view = $"{Id}:{RevisionNumber}:{SinceRevision}";
        if (view != loadedFor)
        {
            contents.Clear();
            wanted.Clear();
            loadRequested.Clear();
            current = 0;
            renderedCount = FirstRenderedFiles;
            loadedFor = view;
            if (scriptAttached)
            {
                try
                {
                    await JS.InvokeVoidAsync("ReviewPortal.renderMoreWhenIdle");
                }
                catch (Exception ex) when (ex is JSException or TaskCanceledException)
                {
                    Logger.LogWarning(ex, "The review page script call failed on change {ChangeId}.", Id);
                }
            }
        }

        // Access was checked above, for this very render. A navigation pins what it shows as the decision target.
        pinned = null;
        await LoadModelAsync();
        foreach (var entry in Files.Where(f => (f.HasDiff || f.Diff == DiffAvailability.Pending) && !f.IsLarge).Take(InitialFiles))
        {
            wanted.Add(entry.Key);
        }

        await LoadWantedAsync();
    }

    protected override bool IsRelevant(ChangeNotification notification) =>
        notification.ChangeId == Id && access == ChangeAccessResult.Allowed;

    protected override async Task ReloadForNotificationAsync()
    {
        await ReloadAsync();
        await LoadWantedAsync();
    }

    /// <summary>
    /// Checks access again (the change's tier or the reader's roles may have moved since the page opened), then reloads
    /// the change and its file list; loaded contents stay as they are.
    /// </summary>
    private async Task ReloadAsync()
    {
        try
        {
            if (await Access.CheckAsync((await AuthenticationState).User, Id) is var answer && answer != ChangeAccessResult.Allowed)
            {
                access = answer;
                model = null;
                return;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogError(ex, "Checking access to change {ChangeId} failed.", Id);
            loadError = "This change could not be loaded. Try again in a moment.";
            return;
        }

        await LoadModelAsync();
    }

    /// <summary>Loads the change and its file list, once access has been checked.</summary>
    private async Task LoadModelAsync()
    {
        try
        {
            var loaded = await Query.LoadAsync(Id, RevisionNumber, SinceRevision, userId);
            model = loaded is null ? null : loaded with { Files = loaded.Files.Select(WithComputedStats).ToList() };
            loadError = null;
            if (model is not null)
            {
                pinned ??= new DecisionPin(new DecisionTarget(model.Revision.Number, model.IsLatest ? model.Change.HeadSha : null), model.IsLatest);
            }

            if (model is null)
            {
                access = ChangeAccessResult.NotFound;
            }

            current = Math.Clamp(current, 0, Math.Max(0, Files.Count - 1));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogError(ex, "Loading change {ChangeId} failed.", Id);
            loadError = "This change could not be loaded. Try again in a moment.";
        }
    }

    /// <summary>An interdiff's stats are known once its file is loaded: they come from the loaded diff.</summary>
    private ReviewFileEntry WithComputedStats(ReviewFileEntry entry) =>
        entry.Additions is null && contents.GetValueOrDefault(entry.Key)?.Content?.Diff is { } diff ? entry with { Additions = diff.Additions, Deletions = diff.Deletions } : entry;

    /// <summary>Loads every wanted file whose diff is available and not loaded yet, in list order.</summary>
    private async Task LoadWantedAsync()
    {
        foreach (var entry in Files.Where(f => wanted.Contains(f.Key)).ToList())
        {
            await LoadContentAsync(entry, showProgress: false);
        }
    }

    private async Task LoadContentAsync(ReviewFileEntry entry, bool showProgress = true)
    {
        if (model is null || !entry.HasDiff || (entry.IsLarge && !loadRequested.Contains(entry.Key))
            || (contents.TryGetValue(entry.Key, out var state) && (state.Content is not null || state.Loading)))
        {
            return;
        }

        contents[entry.Key] = FileContentState.InProgress;
        if (showProgress)
        {
            StateHasChanged();
        }

        try
        {
            var content = await Query.LoadFileAsync(model.Revision.Id, model.EarlierRevisionId, entry);
            contents[entry.Key] = new FileContentState(content, null, Loading: false);
            if (entry.Additions is null)
            {
                model = model with { Files = model.Files.Select(WithComputedStats).ToList() };
            }
        }
        catch (ReviewFileUnavailableException ex)
        {
            contents[entry.Key] = new FileContentState(null, ex.Message, Loading: false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogError(ex, "Loading file {Path} of change {ChangeId} failed.", entry.Path, Id);
            contents[entry.Key] = new FileContentState(null, $"The diff of {entry.Path} could not be loaded. Try again in a moment.", Loading: false);
        }
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        try
        {
            if (!scriptAttached && model is not null)
            {
                selfReference ??= DotNetObjectReference.Create(this);
                await JS.InvokeVoidAsync("ReviewPortal.attach", selfReference, pageRoot);
                scriptAttached = true;
                // Says so in the markup: browser tests and the benchmark press keys only once they are handled.
                StateHasChanged();
                pendingTimer ??= new Timer(_ => _ = InvokeAsync(RecheckPendingAsync), null, PendingRecheck, PendingRecheck);
            }

            if (scrollTo is { } index && scriptAttached)
            {
                scrollTo = null;
                await JS.InvokeVoidAsync("ReviewPortal.scrollToFile", index);
            }
        }
        catch (Exception ex) when (ex is JSException or TaskCanceledException)
        {
            // The page still works without its script (no keys, no lazy loading); a failed call must not end the
            // circuit. The attach is tried again after the next render.
            Logger.LogWarning(ex, "The review page script call failed on change {ChangeId}.", Id);
        }
    }

    /// <summary>
    /// The page script, when the browser is idle: adds the next chunk of file placeholders. Pulled by the browser so
    /// that a keypress is never queued behind rendering; returns whether more files remain.
    /// </summary>
    [JSInvokable]
    public bool RenderMoreFiles()
    {
        if (renderedCount >= Files.Count)
        {
            return false;
        }

        renderedCount += RenderChunk;
        StateHasChanged();
        return renderedCount < Files.Count;
    }

    private async Task RecheckPendingAsync()
    {
        if (Files.Any(f => f.Diff == DiffAvailability.Pending))
        {
            await ReloadForNotificationAsync();
            StateHasChanged();
        }
    }

    /// <summary>The page script: a file came near the viewport.</summary>
    [JSInvokable]
    public async Task LoadFile(int index)
    {
        if (index < 0 || index >= Files.Count)
        {
            return;
        }

        var entry = Files[index];
        wanted.Add(entry.Key);
        await LoadContentAsync(entry);
        StateHasChanged();
    }

    /// <summary>j/k: the next or previous file becomes current and is brought into view (and loaded).</summary>
    [JSInvokable]
    public async Task MoveFile(int direction)
    {
        if (Files.Count == 0)
        {
            return;
        }

        var target = Math.Clamp(current + Math.Sign(direction), 0, Files.Count - 1);
        if (target == current)
        {
            // Said in a status region, so the key visibly did something and screen readers hear why nothing moved.
            (navigationEdge, navigationNote) = direction > 0 ? ("last", "This is the last file.") : ("first", "This is the first file.");
            scrollTo = current;
            StateHasChanged();
            return;
        }

        await SelectFileAsync(target);
    }

    /// <summary>n/p moved into another file.</summary>
    [JSInvokable]
    public void SetCurrentFile(int index)
    {
        if (index >= 0 && index < Files.Count && index != current)
        {
            current = index;
            StateHasChanged();
        }
    }

    [JSInvokable]
    public Task ToggleViewedOnCurrentFile() =>
        current < Files.Count ? SetViewedAsync(Files[current], !Files[current].Viewed) : Task.CompletedTask;

    private async Task SelectFileAsync(int index)
    {
        (navigationEdge, navigationNote) = (null, null);
        renderedCount = Math.Max(renderedCount, index + 1);
        current = index;
        scrollTo = index;
        var entry = Files[index];
        wanted.Add(entry.Key);
        // Render the move at once; the diff follows when it has loaded.
        StateHasChanged();
        await LoadContentAsync(entry);
        StateHasChanged();
    }

    private async Task SetViewedAsync(ReviewFileEntry entry, bool viewed)
    {
        if (userId is null || entry.FileId is not { } fileId || model is null)
        {
            return;
        }

        actionError = null;
        try
        {
            await Preferences.SetViewedAsync(userId, fileId, viewed);
            model = model with { Files = model.Files.Select(f => f.Key == entry.Key ? f with { Viewed = viewed } : f).ToList() };
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogError(ex, "Saving the viewed mark on file {FileId} failed.", fileId);
            actionError = $"The viewed mark on {entry.Path} could not be saved. Try again in a moment.";
        }

        StateHasChanged();
    }

    private async Task SetModeAsync(DiffViewMode value)
    {
        if (value == mode)
        {
            return;
        }

        mode = value;
        actionError = null;
        if (userId is null)
        {
            return;
        }

        try
        {
            await Preferences.SetDiffModeAsync(userId, value);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogError(ex, "Saving the diff mode of user {UserId} failed.", userId);
            actionError = "Your diff mode could not be saved; it applies to this page only.";
        }
    }

    private Task RequestLoadAsync(ReviewFileEntry entry)
    {
        loadRequested.Add(entry.Key);
        wanted.Add(entry.Key);
        return LoadContentAsync(entry);
    }

    private async Task OpenHelpAsync() => await JS.InvokeVoidAsync("ReviewPortal.openHelp");

    private async Task CloseHelpAsync() => await JS.InvokeVoidAsync("ReviewPortal.closeHelp");

    private sealed record DecisionPin(DecisionTarget Target, bool WasHead);

    public async ValueTask DisposeAsync()
    {

        if (pendingTimer is not null)
        {
            await pendingTimer.DisposeAsync();
        }

        if (scriptAttached)
        {
            try
            {
                await JS.InvokeVoidAsync("ReviewPortal.detach");
            }
            catch (JSDisconnectedException)
            {
                // The browser is gone; there is nothing to detach.
            }
        }

        selfReference?.Dispose();
        Dispose();
        GC.SuppressFinalize(this);
    }
}
