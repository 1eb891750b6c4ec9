using System.Globalization;
using AngleSharp.Dom;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using ReviewPortal.Domain.Diff;
using ReviewPortal.Testing;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Features.Review;

namespace ReviewPortal.Web.Tests.Features.Review;

[Trait("Category", "Component")]
public sealed class DiffFileViewTests : ComponentTest
{
    private static ReviewFileEntry Entry(string? oldText, string? newText, ReviewFileKind kind = ReviewFileKind.Modified, DiffAvailability diff = DiffAvailability.Ready, string path = "src/Orders/Total.cs", string? previousPath = null, bool viewed = false, int? lines = null, long bytes = 100)
    {
        var computed = FileDiff.Compute(oldText, newText);
        return new ReviewFileEntry(0, "f1", path, previousPath, kind, computed.Additions, computed.Deletions, diff,
            lines ?? computed.OldLineCount, lines ?? computed.NewLineCount, bytes, computed.Hunks().Count, null, viewed, 1);
    }

    private static FileContentState Content(string? oldText, string? newText) =>
        new(new ReviewFileContent(DiffText.SplitLines(oldText), DiffText.SplitLines(newText), FileDiff.Compute(oldText, newText)), null, Loading: false);

    private IRenderedComponent<DiffFileView> Render(ReviewFileEntry entry, FileContentState? state, DiffViewMode mode = DiffViewMode.SideBySide, bool wanted = true, bool loadRequested = false, int? longLineLimit = null, Action<bool>? viewedChanged = null, Action? loadDiff = null)
    {
        if (longLineLimit is { } limit)
        {
            Services.Configure<DiffViewSettings>(s => s.LongLineLimit = limit);
        }

        return Render<DiffFileView>(p => p
            .Add(c => c.Entry, entry)
            .Add(c => c.State, state)
            .Add(c => c.Mode, mode)
            .Add(c => c.Wanted, wanted)
            .Add(c => c.LoadRequested, loadRequested)
            .Add(c => c.OnViewedChanged, viewedChanged ?? (_ => { }))
            .Add(c => c.OnLoadDiff, loadDiff ?? (() => { })));
    }

    private INodeList RenderNodes(ReviewFileEntry entry, FileContentState? state, DiffViewMode mode = DiffViewMode.SideBySide, bool wanted = true, bool loadRequested = false, int? longLineLimit = null) =>
        Render(entry, state, mode, wanted, loadRequested, longLineLimit).Nodes;

    private INodeList RenderNodes(string? oldText, string? newText, DiffViewMode mode = DiffViewMode.SideBySide, int? longLineLimit = null) =>
        RenderNodes(Entry(oldText, newText), Content(oldText, newText), mode, longLineLimit: longLineLimit);

    public DiffFileViewTests() => Services.AddOptions();

    private static string Lines(int count, Func<int, string> line) => string.Concat(Enumerable.Range(0, count).Select(i => line(i) + "\n"));

    [Fact]
    public void Side_by_side_shows_one_row_per_line_pair_with_line_numbers_on_both_sides()
    {
        var document = RenderNodes("a\nb\nc\n", "a\nB\nc\nd\n");

        var rows = document.QuerySelectorAll("table[data-testid=side-by-side-diff] tbody tr");
        Assert.Equal(4, rows.Length);
        Assert.Equal(["1", "1"], rows[0].QuerySelectorAll("td.ln").Select(td => td.TextContent));
        Assert.Equal(("b", "B"), (rows[1].QuerySelector("td.mod[data-side=old]")?.TextContent, rows[1].QuerySelector("td.mod[data-side=new]")?.TextContent));
        Assert.Equal(["", "4"], rows[3].QuerySelectorAll("td.ln").Select(td => td.TextContent));
        Assert.Equal("d", rows[3].QuerySelector("td.ins[data-side=new]")?.TextContent);
        Assert.NotNull(rows[3].QuerySelector("td.empty[data-side=old]:not([data-line])"));
        Assert.Equal("Side-by-side diff of src/Orders/Total.cs", document.QuerySelector("table")?.GetAttribute("aria-label"));
    }

    [Fact]
    public void Unified_shows_deleted_then_inserted_lines_with_signs_and_both_line_numbers()
    {
        var document = RenderNodes("a\nb\nc\n", "a\nB\nc\nd\n", DiffViewMode.Unified);

        Assert.Null(document.QuerySelector("[data-testid=side-by-side-diff]"));
        var rows = document.QuerySelectorAll("table[data-testid=unified-diff] tbody tr");
        Assert.Equal(
            [("1", "1", "", "a", "both"), ("2", "", "−", "b", "old"), ("", "2", "+", "B", "new"), ("3", "3", "", "c", "both"), ("", "4", "+", "d", "new")],
            rows.Select(r =>
            {
                var cells = r.QuerySelectorAll("td");
                return (cells[0].TextContent, cells[1].TextContent, cells[2].TextContent, cells[3].TextContent, cells[3].GetAttribute("data-side")!);
            }));
    }

    [Theory]
    [InlineData(DiffViewMode.SideBySide, "td.mod[data-side=new]")]
    [InlineData(DiffViewMode.Unified, "td.ins[data-side=new]")]
    public void Only_the_changed_words_inside_a_modified_line_are_marked(DiffViewMode mode, string newCell)
    {
        var document = RenderNodes("var total = price * quantity;\n", "var total = price * quantity * taxRate;\n", mode);

        var cell = document.QuerySelector(newCell)!;
        Assert.Equal("var total = price * quantity * taxRate;", cell.TextContent);
        var marks = cell.QuerySelectorAll("mark.word").Select(m => m.TextContent).ToList();
        Assert.Contains(marks, m => m.Contains("taxRate", StringComparison.Ordinal));
        Assert.DoesNotContain(marks, m => m.Contains("total", StringComparison.Ordinal));
    }

    [Fact]
    public void Unchanged_lines_far_from_a_change_collapse_into_expandable_gaps_and_hunks_are_marked()
    {
        var before = Lines(60, i => $"line {i}");
        var after = before.Replace("line 10\n", "line ten\n", StringComparison.Ordinal).Replace("line 50\n", "line fifty\n", StringComparison.Ordinal);

        var document = RenderNodes(before, after);

        var gaps = document.QuerySelectorAll("tr.gap button[data-testid=expand-gap]").Select(b => b.TextContent).ToList();
        Assert.Equal(["Expand 7 unchanged lines", "Expand 33 unchanged lines", "Expand 6 unchanged lines"], gaps);
        Assert.Equal(2, document.QuerySelectorAll("tr[data-hunk-start]").Length);
        Assert.Equal("8", document.QuerySelector("tr[data-hunk-start]")!.QuerySelector("td.ln")!.TextContent);
        Assert.Equal(2 * 7, document.QuerySelectorAll("tbody tr:not(.gap)").Length);
    }

    [Fact]
    public void A_long_diff_shows_its_first_400_rows_and_offers_the_rest()
    {
        var added = Lines(1000, i => $"row {i}");

        var document = RenderNodes(Entry(null, added, ReviewFileKind.Added), Content(null, added));

        Assert.Equal(DiffFileView.RowLimit, document.QuerySelectorAll("tbody tr").Length);
        Assert.Equal("Show all 1,000 lines", document.QuerySelector("[data-testid=show-all]")?.TextContent);
        Assert.Equal("row 399", document.QuerySelectorAll("td.ins[data-side=new]").Last().TextContent);
    }

    [Theory]
    [InlineData(20_001, 100)]
    [InlineData(100, 600 * 1024)]
    public void A_large_file_waits_behind_load_diff_until_asked(int lines, long bytes)
    {
        var entry = Entry("a\n", "b\n", lines: lines, bytes: bytes);

        var gated = RenderNodes(entry, null, wanted: true);
        Assert.NotNull(gated.QuerySelector("button[data-testid=load-diff]"));
        Assert.Null(gated.QuerySelector("table"));
        Assert.Equal("gated", gated.QuerySelector("article")?.GetAttribute("data-load-state"));

        var loaded = RenderNodes(entry, Content("a\n", "b\n"), loadRequested: true);
        Assert.Null(loaded.QuerySelector("button[data-testid=load-diff]"));
        Assert.NotNull(loaded.QuerySelector("table[data-testid=side-by-side-diff]"));
    }

    [Fact]
    public void A_binary_file_has_no_text_diff()
    {
        var entry = Entry(null, null, ReviewFileKind.Binary, DiffAvailability.None, path: "assets/logo.png");

        var document = RenderNodes(entry, null);

        Assert.Equal("binary", document.QuerySelector("[data-testid=file-status]")?.TextContent);
        Assert.Equal("Binary file: no text diff.", document.QuerySelector("[data-testid=binary-note]")?.TextContent);
        Assert.Null(document.QuerySelector("table"));
    }

    [Fact]
    public void A_renamed_file_shows_its_old_path()
    {
        var entry = Entry("a\n", "a\nb\n", ReviewFileKind.Renamed, path: "src/Billing/Invoice.cs", previousPath: "src/Invoice.cs");

        var document = RenderNodes(entry, Content("a\n", "a\nb\n"));

        Assert.Equal("renamed", document.QuerySelector("[data-testid=file-status]")?.TextContent);
        Assert.Equal("renamed from src/Invoice.cs", document.QuerySelector("[data-testid=renamed-from]")?.TextContent);
    }

    [Fact]
    public void A_deleted_file_shows_every_line_as_deleted_on_the_old_side()
    {
        var entry = Entry("x\ny\n", null, ReviewFileKind.Deleted);

        var document = RenderNodes(entry, Content("x\ny\n", null));

        Assert.Equal("deleted", document.QuerySelector("[data-testid=file-status]")?.TextContent);
        Assert.Equal(["x", "y"], document.QuerySelectorAll("td.del[data-side=old]").Select(td => td.TextContent));
        Assert.Equal(2, document.QuerySelectorAll("td.empty[data-side=new]").Length);
        Assert.Equal("−2", document.QuerySelector(".file-stats .del")?.TextContent);
    }

    [Fact]
    public void A_pending_diff_says_it_is_being_computed()
    {
        var document = RenderNodes(Entry("a\n", "b\n", diff: DiffAvailability.Pending), null);

        Assert.Contains("Computing diff", document.QuerySelector("[data-testid=diff-pending][role=status]")?.TextContent, StringComparison.Ordinal);
        Assert.Equal("pending", document.QuerySelector("article")?.GetAttribute("data-load-state"));
    }

    [Fact]
    public void A_file_not_yet_wanted_is_a_placeholder_the_page_script_loads_later()
    {
        var document = RenderNodes(Entry("a\n", "b\n"), null, wanted: false);

        Assert.Equal("waiting", document.QuerySelector("article")?.GetAttribute("data-load-state"));
        Assert.NotNull(document.QuerySelector("[data-testid=diff-placeholder]"));
    }

    [Fact]
    public void A_viewed_file_is_collapsed_with_its_mark_checked()
    {
        var document = RenderNodes(Entry("a\n", "b\n", viewed: true), Content("a\n", "b\n"));

        Assert.Null(document.QuerySelector("table"));
        Assert.True(document.QuerySelector("input[data-testid=viewed-checkbox]")!.HasAttribute("checked"));
        Assert.Equal("true", document.QuerySelector("article")?.GetAttribute("data-viewed"));
    }

    [Fact]
    public void Code_is_shown_as_text_never_as_markup()
    {
        var document = RenderNodes(null, "<script>alert('x')</script>\n<img src=x onerror=alert(1)>\n");

        Assert.Empty(document.QuerySelectorAll("td script, td img"));
        Assert.Equal("<script>alert('x')</script>", document.QuerySelector("td.ins")?.TextContent);
    }

    [Fact]
    public void An_unchanged_file_and_an_empty_file_have_their_own_empty_states()
    {
        Assert.Equal("No line changed.", (RenderNodes("same\n", "same\n")).QuerySelector("[data-testid=diff-empty]")?.TextContent);
        Assert.Equal("Empty file.", (RenderNodes(Entry(null, "", ReviewFileKind.Added), Content(null, ""))).QuerySelector("[data-testid=diff-empty]")?.TextContent);
    }

    [Theory]
    [InlineData(DiffViewMode.SideBySide)]
    [InlineData(DiffViewMode.Unified)]
    [Trait("Category", "BadInput")]
    public void A_line_longer_than_the_limit_is_cut_with_a_way_to_see_it_whole_and_other_lines_are_not(DiffViewMode mode)
    {
        var limit = new DiffViewSettings().LongLineLimit;
        var huge = new string('x', limit - 3) + "cut" + "here" + new string('y', 30_000) + "the-end";

        var document = RenderNodes(null, $"short\n{huge}\n", mode);

        var cells = document.QuerySelectorAll("td.code[data-side=new]");
        Assert.Equal(2, cells.Length);
        Assert.False(cells[0].HasAttribute("data-cut"));
        Assert.Equal("short", cells[0].TextContent);
        var cut = cells[1];
        Assert.Equal("true", cut.GetAttribute("data-cut"));
        Assert.Equal(huge[..limit], cut.FirstChild?.TextContent);
        Assert.Equal($" … {(huge.Length - limit).ToString("N0", CultureInfo.InvariantCulture)} more characters Show the full line as plain text", cut.QuerySelector("[data-testid=line-cut]")?.TextContent);
        Assert.NotNull(cut.QuerySelector("button[data-testid=show-full-line]"));
        Assert.DoesNotContain("the-end", cut.TextContent, StringComparison.Ordinal);
        Assert.Null(cut.QuerySelector("[data-testid=full-line]"));
    }

    [Fact]
    [Trait("Category", "BadInput")]
    public void A_modified_pair_of_long_lines_is_cut_on_both_sides()
    {
        var line = string.Concat(Enumerable.Repeat("token ", 5_000));

        var document = RenderNodes($"a\n{line}\nz\n", $"a\n{line}x\nz\n");

        var row = document.QuerySelectorAll("tbody tr").Single(r => r.QuerySelector("td.mod") is not null);
        Assert.Equal(2, row.QuerySelectorAll("td.code[data-cut=true] [data-testid=line-cut]").Length);
    }

    [Theory]
    [InlineData(DiffViewSettings.MinimumLongLineLimit - 1, false)]
    [InlineData(DiffViewSettings.MinimumLongLineLimit, true)]
    [InlineData(DiffViewSettings.MaximumLongLineLimit, true)]
    [InlineData(DiffViewSettings.MaximumLongLineLimit + 1, false)]
    public void The_limit_is_never_below_the_length_beyond_which_no_line_gets_word_level_changes(int limit, bool valid)
    {
        Assert.Equal(WordDiff.MaxLineLength, DiffViewSettings.MinimumLongLineLimit);
        Assert.Equal(valid, new DiffViewSettings { LongLineLimit = limit }.IsValid());
    }

    [Fact]
    [Trait("Category", "BadInput")]
    public void The_limit_is_a_setting_and_a_cut_never_splits_a_surrogate_pair()
    {
        const int limit = DiffViewSettings.MinimumLongLineLimit;
        var emoji = "a" + string.Concat(Enumerable.Repeat("\U0001F600", limit));

        var document = RenderNodes(null, $"{new string('b', limit)}\n{emoji}\n", longLineLimit: limit);

        var cells = document.QuerySelectorAll("td.code[data-side=new]");
        Assert.False(cells[0].HasAttribute("data-cut"));
        Assert.Equal("true", cells[1].GetAttribute("data-cut"));
        var start = cells[1].FirstChild!.TextContent;
        Assert.Equal(emoji[..(limit - 1)], start);
        Assert.Contains($"{(emoji.Length - limit + 1).ToString("N0", CultureInfo.InvariantCulture)} more characters", cells[1].TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Expanding_a_gap_shows_its_unchanged_lines_and_only_that_gap_opens()
    {
        var before = Lines(60, i => $"line {i}");
        var after = before.Replace("line 10\n", "line ten\n", StringComparison.Ordinal).Replace("line 50\n", "line fifty\n", StringComparison.Ordinal);
        var view = Render(Entry(before, after), Content(before, after));

        view.FindAll("button[data-testid=expand-gap]")[1].Click();

        Assert.Equal(["Expand 7 unchanged lines", "Expand 6 unchanged lines"], view.FindAll("button[data-testid=expand-gap]").Select(b => b.TextContent));
        Assert.Equal((2 * 7) + 33, view.FindAll("tbody tr:not(.gap)").Count);
        Assert.Contains(view.FindAll("td.same[data-side=new]"), td => td.TextContent == "line 30");
    }

    [Fact]
    public void Ticking_viewed_reports_the_new_mark_and_unticking_reports_it_gone()
    {
        var reported = new List<bool>();
        var view = Render(Entry("a\n", "b\n"), Content("a\n", "b\n"), viewedChanged: reported.Add);

        view.Find("input[data-testid=viewed-checkbox]").Change(true);
        view.Find("input[data-testid=viewed-checkbox]").Change(false);

        Assert.Equal([true, false], reported);
        Assert.Equal("Viewed: src/Orders/Total.cs", view.Find("input[data-testid=viewed-checkbox]").GetAttribute("aria-label"));
    }

    [Fact]
    public void A_viewed_file_opens_on_request_without_changing_its_mark()
    {
        var view = Render(Entry("a\n", "b\n", viewed: true), Content("a\n", "b\n"));

        view.Find("p.file-note button").Click();

        Assert.NotNull(view.Find("table[data-testid=side-by-side-diff]"));
        Assert.Equal("true", view.Find("article").GetAttribute("data-viewed"));
    }

    [Fact]
    public void Load_diff_asks_the_page_for_the_large_file()
    {
        var asked = 0;
        var view = Render(Entry("a\n", "b\n", lines: 20_001), null, loadDiff: () => asked++);

        view.Find("button[data-testid=load-diff]").Click();

        Assert.Equal(1, asked);
    }

    [Fact]
    public void Show_all_renders_every_row_of_a_long_diff()
    {
        var added = Lines(1000, i => $"row {i}");
        var view = Render(Entry(null, added, ReviewFileKind.Added), Content(null, added));

        view.Find("button[data-testid=show-all]").Click();

        Assert.Equal(1000, view.FindAll("tbody tr").Count);
        Assert.Empty(view.FindAll("[data-testid=show-all]"));
    }
}
