using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using ReviewPortal.Web.Data;

namespace ReviewPortal.Web.Features.Review;

/// <summary>
/// The changed files of one revision: the file tree, the diff of each file and the keyboard. Which diffs load and when
/// is <see cref="ReviewFileLoader"/>'s; this component owns the element the page script is attached to, so the script
/// is attached once that element exists and detached when it goes (a new revision renders a new list).
/// </summary>
public partial class DiffFileList : IAsyncDisposable
{
    private ElementReference root;
    private DotNetObjectReference<DiffFileList>? selfReference;
    private IReadOnlyList<ReviewFileEntry>? filesSet;
    private DiffViewMode mode;
    private int current;
    private int? scrollTo;
    private bool initialLoaded;
    private bool attached;
    private string? navigationNote;
    private string? navigationEdge;

    /// <summary>The revision's files as the page loaded them; a live update passes a new list.</summary>
    [Parameter, EditorRequired]
    public IReadOnlyList<ReviewFileEntry> Files { get; set; } = [];

    [Parameter, EditorRequired]
    public long RevisionId { get; set; }

    [Parameter]
    public long? EarlierRevisionId { get; set; }

    [Parameter]
    public int? SinceRevision { get; set; }

    /// <summary>The reader's saved diff mode, as the list opens; the reader may switch it here.</summary>
    [Parameter]
    public DiffViewMode InitialMode { get; set; }

    [Parameter]
    public string? UserId { get; set; }

    /// <summary>The page script handles keys from now on.</summary>
    [Parameter]
    public EventCallback OnKeysReady { get; set; }

    [Inject]
    private ReviewQuery Query { get; set; } = default!;

    [Inject]
    private ReviewPreferences Preferences { get; set; } = default!;

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    internal ReviewFileLoader Loader { get; private set; } = default!;

    protected override void OnInitialized()
    {
        mode = InitialMode;
        Loader = new ReviewFileLoader(entry => Query.LoadFileAsync(RevisionId, EarlierRevisionId, entry));
    }

    protected override async Task OnParametersSetAsync()
    {
        if (ReferenceEquals(Files, filesSet))
        {
            return;
        }

        filesSet = Files;
        Loader.SetFiles(Files);
        current = Math.Clamp(current, 0, Math.Max(0, Files.Count - 1));
        await Loader.LoadWantedAsync();
        initialLoaded = true;
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!attached && initialLoaded)
        {
            attached = true;
            selfReference = DotNetObjectReference.Create(this);
            await JS.InvokeVoidAsync("ReviewPortal.attach", selfReference, root);
            await OnKeysReady.InvokeAsync();
        }

        if (scrollTo is { } index && attached)
        {
            scrollTo = null;
            await JS.InvokeVoidAsync("ReviewPortal.scrollToFile", index);
        }
    }

    /// <summary>
    /// The page script, when the browser is idle: adds the next chunk of file placeholders. Pulled by the browser so
    /// that a keypress is never queued behind rendering; returns whether more files remain.
    /// </summary>
    [JSInvokable]
    public bool RenderMoreFiles()
    {
        var more = Loader.RenderMore();
        StateHasChanged();
        return more;
    }

    /// <summary>The page script: a file came near the viewport.</summary>
    [JSInvokable]
    public async Task LoadFile(int index)
    {
        if (index >= 0 && index < Loader.Files.Count)
        {
            await Loader.WantAsync(index, StateHasChanged);
            StateHasChanged();
        }
    }

    /// <summary>j/k: the next or previous file becomes current and is brought into view (and loaded).</summary>
    [JSInvokable]
    public async Task MoveFile(int direction)
    {
        if (Loader.Files.Count == 0)
        {
            return;
        }

        var target = Math.Clamp(current + Math.Sign(direction), 0, Loader.Files.Count - 1);
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
        if (index >= 0 && index < Loader.Files.Count && index != current)
        {
            current = index;
            StateHasChanged();
        }
    }

    [JSInvokable]
    public Task ToggleViewedOnCurrentFile() =>
        current < Loader.Files.Count ? SetViewedAsync(Loader.Files[current], !Loader.Files[current].Viewed) : Task.CompletedTask;

    private async Task SelectFileAsync(int index)
    {
        (navigationEdge, navigationNote) = (null, null);
        current = index;
        scrollTo = index;
        // The move renders at once; the diff follows when it has loaded.
        await Loader.WantAsync(index, StateHasChanged);
        StateHasChanged();
    }

    private async Task SetViewedAsync(ReviewFileEntry entry, bool viewed)
    {
        if (UserId is null || entry.FileId is not { } fileId)
        {
            return;
        }

        await Preferences.SetViewedAsync(UserId, fileId, viewed);
        Loader.MarkViewed(entry, viewed);
        StateHasChanged();
    }

    private async Task SetModeAsync(DiffViewMode value)
    {
        if (value == mode)
        {
            return;
        }

        mode = value;
        if (UserId is not null)
        {
            await Preferences.SetDiffModeAsync(UserId, value);
        }
    }

    private async Task OpenHelpAsync() => await JS.InvokeVoidAsync("ReviewPortal.openHelp");

    public async ValueTask DisposeAsync()
    {
        if (attached)
        {
            try
            {
                await JS.InvokeVoidAsync("ReviewPortal.detach", root);
            }
            catch (JSDisconnectedException)
            {
                // The browser is gone; there is nothing to detach.
            }
        }

        selfReference?.Dispose();
        GC.SuppressFinalize(this);
    }
}
