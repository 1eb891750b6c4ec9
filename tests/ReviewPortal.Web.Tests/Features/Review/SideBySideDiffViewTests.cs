using ReviewPortal.Domain.Diff;
using ReviewPortal.Web.Features.Review;
using ReviewPortal.Web.Tests.Components;

namespace ReviewPortal.Web.Tests.Features.Review;

public sealed class SideBySideDiffViewTests
{
    private static Task<AngleSharp.Dom.IDocument> RenderAsync(string? oldText, string? newText) =>
        ComponentRenderer.RenderAsync<SideBySideDiffView>(new Dictionary<string, object?>
        {
            [nameof(SideBySideDiffView.Diff)] = SideBySideDiff.Compute(oldText, newText),
            [nameof(SideBySideDiffView.Path)] = "src/Orders/Total.cs",
        });

    [Fact]
    public async Task Renders_one_row_per_line_pair_with_line_numbers_on_both_sides()
    {
        var document = await RenderAsync("a\nb\nc\n", "a\nB\nc\nd\n");

        var rows = document.QuerySelectorAll("table[data-testid=side-by-side-diff] tbody tr");
        Assert.Equal(4, rows.Length);
        Assert.Equal(["1", "1"], rows[0].QuerySelectorAll("td.ln").Select(td => td.TextContent));
        Assert.Equal(["", "4"], rows[3].QuerySelectorAll("td.ln").Select(td => td.TextContent));
        Assert.Equal("d", rows[3].QuerySelector("td.ins[data-side=new]")?.TextContent);
        Assert.NotNull(rows[3].QuerySelector("td.empty[data-side=old]"));
    }

    [Fact]
    public async Task Marks_only_the_changed_words_inside_a_modified_line()
    {
        var document = await RenderAsync("var total = price * quantity;\n", "var total = price * quantity * taxRate;\n");

        var newCell = document.QuerySelector("td.mod[data-side=new]")!;
        Assert.Equal("var total = price * quantity * taxRate;", newCell.TextContent);
        var marks = newCell.QuerySelectorAll("mark.word").Select(m => m.TextContent).ToList();
        Assert.Contains(marks, m => m.Contains("taxRate", StringComparison.Ordinal));
        Assert.DoesNotContain(marks, m => m.Contains("total", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Code_is_shown_as_text_never_as_markup()
    {
        var document = await RenderAsync(null, "<script>alert('x')</script>\n<img src=x onerror=alert(1)>\n");

        Assert.Empty(document.QuerySelectorAll("td script, td img"));
        Assert.Equal("<script>alert('x')</script>", document.QuerySelector("td.ins")?.TextContent);
    }

    [Fact]
    public async Task The_table_is_labelled_with_the_file_path()
    {
        var document = await RenderAsync("a", "b");

        Assert.Equal("Side-by-side diff of src/Orders/Total.cs", document.QuerySelector("table")?.GetAttribute("aria-label"));
    }
}
