using FsCheck;
using FsCheck.Fluent;
using ReviewPortal.Domain.Diff;

namespace ReviewPortal.Domain.Tests.Diff;

public sealed class FileDiffTests
{
    private static readonly string[] SourceLines = ["{", "}", "", "return x;", "var a = 1;", "var b = 2;", "if (a > b)", "// note"];

    [Fact]
    public void A_modified_line_is_paired_with_its_word_level_change()
    {
        var diff = FileDiff.Compute("var total = a + b;\nreturn total;\n", "var total = a - b;\nreturn total;\n");

        var pair = Assert.Single(diff.ModifiedLines);
        Assert.Equal((0, 0), (pair.OldLine, pair.NewLine));
        Assert.Equal([new TextSpan(14, 1)], pair.OldChanged);
        Assert.Equal([new TextSpan(14, 1)], pair.NewChanged);
        Assert.Equal((1, 1), (diff.Additions, diff.Deletions));
    }

    [Fact]
    public void The_stored_form_reads_back_as_the_same_diff() =>
        Prop.ForAll(Lines(), Lines(), (oldLines, newLines) =>
        {
            var diff = FileDiff.Compute(oldLines, newLines);
            var back = FileDiff.Deserialize(diff.Serialize());
            return back.Edits.SequenceEqual(diff.Edits)
                   && back.ModifiedLines.Count == diff.ModifiedLines.Count
                   && back.ModifiedLines.Zip(diff.ModifiedLines).All(p => p.First.OldLine == p.Second.OldLine && p.First.NewLine == p.Second.NewLine
                       && p.First.OldChanged.SequenceEqual(p.Second.OldChanged) && p.First.NewChanged.SequenceEqual(p.Second.NewChanged))
                   && (back.OldLineCount, back.NewLineCount) == (oldLines.Length, newLines.Length);
        }).QuickCheckThrowOnFailure();

    [Theory]
    [InlineData("")]
    [InlineData("{}")]
    [InlineData("not json")]
    [InlineData("{\"v\":1,\"o\":1,\"n\":1,\"e\":[9,0,0,1],\"m\":[]}")]
    [InlineData("{\"v\":1,\"o\":1,\"n\":1,\"e\":[0,0,0],\"m\":[]}")]
    [InlineData("{\"v\":1,\"o\":1,\"n\":1,\"e\":[],\"m\":[[0,0,1,0]]}")]
    public void A_malformed_stored_diff_is_a_format_error(string json) =>
        Assert.Throws<FormatException>(() => FileDiff.Deserialize(json));

    [Fact]
    public void Side_by_side_rows_show_every_line_of_each_side_once_when_all_context_is_expanded() =>
        Prop.ForAll(Lines(), Lines(), (oldLines, newLines) =>
        {
            var diff = FileDiff.Compute(oldLines, newLines);
            var rows = DiffLayout.SideBySide(diff, context: int.MaxValue / 4);
            return rows.All(r => r.Kind != DiffRowKind.Gap)
                   && rows.Where(r => r.OldLine is not null).Select(r => r.OldLine!.Value).SequenceEqual(Enumerable.Range(0, oldLines.Length))
                   && rows.Where(r => r.NewLine is not null).Select(r => r.NewLine!.Value).SequenceEqual(Enumerable.Range(0, newLines.Length));
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Unchanged_lines_far_from_a_change_are_collapsed_into_an_expandable_gap()
    {
        var oldLines = Enumerable.Range(0, 50).Select(i => $"line {i}").ToArray();
        var newLines = oldLines.ToArray();
        newLines[25] = "changed";
        var diff = FileDiff.Compute(oldLines, newLines);

        var rows = DiffLayout.SideBySide(diff);
        var gaps = rows.Where(r => r.Kind == DiffRowKind.Gap).Select(r => r.Gap!).ToList();
        Assert.Equal([new DiffGap(0, 0, 22), new DiffGap(29, 29, 21)], gaps);
        Assert.Equal(1 + 3 + 1 + 3 + 1, rows.Count);

        var expanded = DiffLayout.SideBySide(diff, expandedGaps: new HashSet<int> { 0 });
        Assert.Equal(22 + 3 + 1 + 3 + 1, expanded.Count);
        Assert.Equal("@@ -23,7 +23,7 @@", Assert.Single(diff.Hunks()).Header);
    }

    [Fact]
    public void Unified_rows_list_deleted_lines_before_inserted_ones_with_their_word_changes()
    {
        var diff = FileDiff.Compute("a\nold value\nz\n", "a\nnew value\nz\n");

        var rows = DiffLayout.Unified(diff);
        Assert.Equal([DiffRowKind.Context, DiffRowKind.Deleted, DiffRowKind.Inserted, DiffRowKind.Context], rows.Select(r => r.Kind));
        Assert.Equal([new DiffSegment("old", true), new DiffSegment(" value", false)], DiffLayout.Segments("old value", rows[1].OldChanged));
    }

    private static Arbitrary<string[]> Lines() => Gen.ArrayOf(Gen.Elements(SourceLines)).ToArbitrary();
}
