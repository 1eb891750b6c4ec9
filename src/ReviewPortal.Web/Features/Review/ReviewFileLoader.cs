namespace ReviewPortal.Web.Features.Review;

/// <summary>
/// Which files of one revision (or interdiff) the review page shows and loads: every file is listed, the first
/// <see cref="FirstRenderedFiles"/> are rendered and more follow in chunks; a file's contents and stored diff load
/// once it is wanted (among the first <see cref="InitialFiles"/>, near the viewport, or jumped to). A large file
/// loads only when asked; a file whose diff is still computing loads when a live update says it is ready. Loaded
/// contents are kept across live updates of the file list.
/// </summary>
public sealed class ReviewFileLoader(Func<ReviewFileEntry, Task<ReviewFileContent>> loadFile)
{
    public const int InitialFiles = 3;

    /// <summary>
    /// The prerendered page and the circuit's first render carry only the first files (the tree lists all of them);
    /// the other files' placeholders follow in chunks once keys are handled, so a 300-file change is interactive fast.
    /// </summary>
    public const int FirstRenderedFiles = 10;

    public const int RenderChunk = 50;

    private readonly Dictionary<string, FileContentState> contents = new(StringComparer.Ordinal);
    private readonly HashSet<string> wanted = new(StringComparer.Ordinal);
    private readonly HashSet<string> loadRequested = new(StringComparer.Ordinal);

    public IReadOnlyList<ReviewFileEntry> Files { get; private set; } = [];

    public int RenderedCount { get; private set; } = FirstRenderedFiles;

    public IReadOnlyList<ReviewFileEntry> RenderedFiles => Files.Count <= RenderedCount ? Files : Files.Take(RenderedCount).ToList();

    /// <summary>Some diff is still being computed: a live update (or a recheck) brings it.</summary>
    public bool HasPending => Files.Any(f => f.Diff == DiffAvailability.Pending);

    public FileContentState? StateOf(ReviewFileEntry entry) => contents.GetValueOrDefault(entry.Key);

    public bool IsWanted(ReviewFileEntry entry) => wanted.Contains(entry.Key);

    public bool IsLoadRequested(ReviewFileEntry entry) => loadRequested.Contains(entry.Key);

    /// <summary>The file list as loaded, or as a live update brought it: loaded contents and wishes stay.</summary>
    public void SetFiles(IReadOnlyList<ReviewFileEntry> files)
    {
        Files = files.Select(WithComputedStats).ToList();
        foreach (var entry in Files.Where(f => (f.HasDiff || f.Diff == DiffAvailability.Pending) && !f.IsLarge).Take(InitialFiles))
        {
            wanted.Add(entry.Key);
        }
    }

    /// <summary>Loads every wanted file whose diff is available and not loaded yet, in list order.</summary>
    public async Task LoadWantedAsync()
    {
        foreach (var entry in Files.Where(f => wanted.Contains(f.Key)).ToList())
        {
            await LoadAsync(entry);
        }
    }

    /// <summary>
    /// The file at <paramref name="index"/> is wanted (it came near the viewport or was jumped to): it is rendered and
    /// its diff loads. <paramref name="loading"/> runs once the file shows as loading, so the page can say so.
    /// </summary>
    public Task WantAsync(int index, Action? loading = null)
    {
        var entry = Files[index];
        RenderedCount = Math.Max(RenderedCount, index + 1);
        wanted.Add(entry.Key);
        return LoadAsync(entry, loading);
    }

    /// <summary>The reader asked for a large file's diff.</summary>
    public Task RequestLoadAsync(ReviewFileEntry entry, Action? loading = null)
    {
        loadRequested.Add(entry.Key);
        wanted.Add(entry.Key);
        return LoadAsync(entry, loading);
    }

    /// <summary>Adds the next chunk of rendered files; returns whether more remain.</summary>
    public bool RenderMore()
    {
        if (RenderedCount >= Files.Count)
        {
            return false;
        }

        RenderedCount += RenderChunk;
        return RenderedCount < Files.Count;
    }

    public void MarkViewed(ReviewFileEntry entry, bool viewed) =>
        Files = Files.Select(f => f.Key == entry.Key ? f with { Viewed = viewed } : f).ToList();

    private async Task LoadAsync(ReviewFileEntry entry, Action? loading = null)
    {
        if (!entry.HasDiff || (entry.IsLarge && !loadRequested.Contains(entry.Key))
            || (contents.TryGetValue(entry.Key, out var state) && (state.Content is not null || state.Loading)))
        {
            return;
        }

        contents[entry.Key] = FileContentState.InProgress;
        loading?.Invoke();
        try
        {
            contents[entry.Key] = new FileContentState(await loadFile(entry), null, Loading: false);
        }
        catch (ReviewFileUnavailableException ex)
        {
            contents[entry.Key] = new FileContentState(null, ex.Message, Loading: false);
            return;
        }

        if (entry.Additions is null)
        {
            Files = Files.Select(WithComputedStats).ToList();
        }
    }

    /// <summary>An interdiff's stats are known once its file is loaded: they come from the loaded diff.</summary>
    private ReviewFileEntry WithComputedStats(ReviewFileEntry entry) =>
        entry.Additions is null && contents.GetValueOrDefault(entry.Key)?.Content?.Diff is { } diff ? entry with { Additions = diff.Additions, Deletions = diff.Deletions } : entry;
}
