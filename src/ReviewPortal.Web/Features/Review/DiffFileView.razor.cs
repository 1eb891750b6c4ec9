using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using ReviewPortal.Domain.Diff;
using ReviewPortal.Web.Data;

namespace ReviewPortal.Web.Features.Review;

/// <summary>What the page knows of one file's contents: loading, loaded, or failed with a message.</summary>
public sealed record FileContentState(ReviewFileContent? Content, string? Error, bool Loading)
{
    public static FileContentState InProgress { get; } = new(null, null, Loading: true);
}

/// <summary>
/// One file of the diff viewer: its header (path, kind, old path of a rename, stats, viewed mark) and its diff in
/// side-by-side or unified rows with collapsible context. A file shows its first <see cref="RowLimit"/> rows until
/// expanded; a large file waits behind "Load diff"; a viewed file is collapsed; a line longer than
/// <see cref="DiffViewSettings.LongLineLimit"/> is cut (<see cref="LongLine"/>).
/// </summary>
public partial class DiffFileView
{
    public const int RowLimit = 400;
    public const int Context = DiffHunk.DefaultContext;

    private readonly HashSet<int> expandedGaps = [];
    private IReadOnlyList<DiffRow> rows = [];
    private ReviewFileContent? rowsFor;
    private DiffViewMode rowsMode;
    private bool showAll;
    private bool openedWhileViewed;
    private int localVersion;
    private RenderedWith? rendered;
    private int longLineLimit;

    [Parameter, EditorRequired]
    public ReviewFileEntry Entry { get; set; } = default!;

    /// <summary>Null until the page asks for the file's contents.</summary>
    [Parameter]
    public FileContentState? State { get; set; }

    [Parameter]
    public DiffViewMode Mode { get; set; }

    /// <summary>The file j/k/n/p/v act on.</summary>
    [Parameter]
    public bool IsCurrent { get; set; }

    /// <summary>The page wants this file's diff (it is near the viewport, among the first files, or was jumped to).</summary>
    [Parameter]
    public bool Wanted { get; set; }

    /// <summary>The reader pressed "Load diff" on a large file.</summary>
    [Parameter]
    public bool LoadRequested { get; set; }

    [Parameter]
    public EventCallback<bool> OnViewedChanged { get; set; }

    [Parameter]
    public EventCallback OnLoadDiff { get; set; }

    [Inject]
    private IOptions<DiffViewSettings> Settings { get; set; } = default!;

    private string DomId => $"file-{Entry.Index}";

    private string ArticleClass => "file" + (IsCurrent ? " current" : "") + (Collapsed ? " collapsed" : "");

    /// <summary>Not wanted yet and not viewed: only the file's name, stats and reserved space are rendered.</summary>
    private bool Placeholder => LoadState == "waiting" && !Entry.Viewed && !IsCurrent;

    private bool Gated => Entry.IsLarge && !LoadRequested;

    private bool Collapsed => Entry.Viewed && !openedWhileViewed;

    /// <summary>For the page script: "waiting" files are loaded when they come near the viewport.</summary>
    private string LoadState => Entry.Diff switch
    {
        DiffAvailability.None or DiffAvailability.Failed => "none",
        _ when Gated => "gated",
        _ when State?.Content is not null => "loaded",
        _ when State?.Error is not null => "error",
        _ when State?.Loading == true => "loading",
        _ when !Wanted => "waiting",
        DiffAvailability.Pending => "pending",
        _ => "queued",
    };

    private IEnumerable<DiffRow> VisibleRows => showAll ? rows : rows.Take(RowLimit);

    /// <summary>
    /// The page re-renders all its files whenever one changes; a file whose inputs did not change skips its render,
    /// which keeps a 300-file page's updates cheap.
    /// </summary>
    protected override bool ShouldRender()
    {
        var now = new RenderedWith(Entry, State, Mode, IsCurrent, Wanted, LoadRequested, localVersion);
        if (now == rendered)
        {
            return false;
        }

        rendered = now;
        return true;
    }

    private void Changed() => localVersion++;

    protected override void OnInitialized() => longLineLimit = Settings.Value.LongLineLimit;

    protected override void OnParametersSet()
    {
        if (State?.Content is { } content && (!ReferenceEquals(content, rowsFor) || Mode != rowsMode))
        {
            LayOut(content);
        }

        if (!Entry.Viewed && openedWhileViewed)
        {
            openedWhileViewed = false;
            Changed();
        }
    }

    private void LayOut(ReviewFileContent content)
    {
        rows = Mode == DiffViewMode.Unified
            ? DiffLayout.Unified(content.Diff, Context, expandedGaps)
            : DiffLayout.SideBySide(content.Diff, Context, expandedGaps);
        rowsFor = content;
        rowsMode = Mode;
    }

    private void ExpandGap(DiffGap gap)
    {
        Changed();
        expandedGaps.Add(gap.OldStart);
        if (State?.Content is { } content)
        {
            LayOut(content);
        }
    }

    private Task ToggleViewedAsync(ChangeEventArgs args) => OnViewedChanged.InvokeAsync(args.Value is true);

    private void ShowAll()
    {
        Changed();
        showAll = true;
    }

    private void OpenWhileViewed()
    {
        Changed();
        openedWhileViewed = true;
    }

    private sealed record RenderedWith(ReviewFileEntry Entry, FileContentState? State, DiffViewMode Mode, bool IsCurrent, bool Wanted, bool LoadRequested, int LocalVersion);

    private string Line(IReadOnlyList<string> lines, int? index) =>
        index is { } i && i >= 0 && i < lines.Count ? DiffText.Display(lines[i]) : "";

    private static string? Number(int? index) => index is { } i ? (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) : null;

    /// <summary>Marks a cell whose line is cut: the page script leaves it out of syntax highlighting.</summary>
    private string? Cut(string text) => text.Length > longLineLimit ? "true" : null;

    private RenderFragment Code(string text, IReadOnlyList<TextSpan>? changed) => builder =>
    {
        if (text.Length > longLineLimit)
        {
            builder.OpenComponent<LongLine>(4);
            builder.AddComponentParameter(5, nameof(LongLine.Text), text);
            builder.AddComponentParameter(6, nameof(LongLine.Limit), longLineLimit);
            builder.CloseComponent();
            return;
        }

        foreach (var segment in DiffLayout.Segments(text, changed))
        {
            if (segment.Changed)
            {
                builder.OpenElement(0, "mark");
                builder.AddAttribute(1, "class", "word");
                builder.AddContent(2, segment.Text);
                builder.CloseElement();
            }
            else
            {
                builder.AddContent(3, segment.Text);
            }
        }
    };

    /// <summary>The first row of each hunk is where n/p land: its hunk number, or null for any other row.</summary>
    private static string? HunkStart(IReadOnlyList<DiffRow> all, int position) =>
        all[position].Kind != DiffRowKind.Gap
        && (position == 0 || all[position - 1].Kind == DiffRowKind.Gap || all[position - 1].Hunk != all[position].Hunk)
            ? all[position].Hunk.ToString(CultureInfo.InvariantCulture)
            : null;

    private static string SideBySideClass(DiffRowKind kind, bool oldSide) => kind switch
    {
        DiffRowKind.Context => "same",
        DiffRowKind.Modified => "mod",
        DiffRowKind.Deleted => oldSide ? "del" : "empty",
        DiffRowKind.Inserted => oldSide ? "empty" : "ins",
        _ => "",
    };

    private static string FormatBytes(long bytes) =>
        bytes >= 1024 * 1024 ? $"{bytes / (1024.0 * 1024):0.#} MB" : $"{Math.Max(1, bytes / 1024)} KB";
}
