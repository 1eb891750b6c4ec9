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
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("{\"v\":2,\"o\":0,\"n\":0,\"e\":[],\"m\":[]}")]
    [InlineData("{\"v\":1,\"o\":-1,\"n\":0,\"e\":[],\"m\":[]}")]
    [InlineData("{\"v\":1,\"o\":2,\"n\":2,\"e\":[0,0,0,1],\"m\":[]}")]
    [InlineData("{\"v\":1,\"o\":1,\"n\":1,\"e\":[0,0,0,0,0,0,0,1],\"m\":[]}")]
    [InlineData("{\"v\":1,\"o\":2,\"n\":2,\"e\":[0,0,0,1,0,0,0,1],\"m\":[]}")]
    [InlineData("{\"v\":1,\"o\":1,\"n\":1,\"e\":[0,0,0,1],\"m\":[[0,0,0,0]]}")]
    [InlineData("{\"v\":1,\"o\":1,\"n\":1,\"e\":[1,0,0,1,2,1,0,1],\"m\":[[0,0,2,0,0,3,2,3]]}")]
    [InlineData("{\"v\":1,\"o\":1,\"n\":1,\"e\":[1,0,0,1,2,1,0,1],\"m\":[[0,0,1,0,-1,3]]}")]
    [InlineData("{\"v\":1,\"o\":1,\"n\":1,\"e\":[1,0,0,1,2,1,0,1],\"m\":[[0,0,2147483647,2147483647]]}")]
    [InlineData("{\"v\":1,\"o\":2,\"n\":2,\"e\":[1,0,0,2,2,2,0,2],\"m\":[[1,1,0,0],[0,0,0,0]]}")]
    [InlineData("{\"v\":1,\"o\":1,\"n\":1,\"e\":[1,0,0,1,2,1,0,1],\"m\":[[0,0,1,0,2147483647,5]]}")]
    [InlineData("{\"v\":1,\"o\":1,\"n\":1,\"e\":[0,0,0,1],\"m\":[],\"o\":99999999999}")]
    [InlineData("{\"v\":1,\"o\":\"1\",\"n\":1,\"e\":[0,0,0,1],\"m\":[]}")]
    [InlineData("{\"v\":1,\"o\":1,\"n\":1,\"e\":[[[[[[[[[[0]]]]]]]]]],\"m\":[]}")]
    [InlineData("{\"v\":1,\"x\":\"\ud800\"}")]
    [InlineData("{\"v\":1,\"x\":\"\ud800")]
    public void A_malformed_stored_diff_is_a_format_error(string json) =>
        Assert.Throws<FormatException>(() => FileDiff.Deserialize(json));

    [Fact]
    public void A_lone_surrogate_in_the_stored_text_is_a_format_error() =>
        Assert.Throws<FormatException>(() => FileDiff.Deserialize("{\"v\":1,\"x\":\"" + '\ud800' + "\"}"));

    [Fact]
    public void Spliced_or_truncated_stored_text_is_read_back_whole_or_refused_with_a_format_error()
    {
        var stored = FileDiff.Compute(DiffInputs.Edited(5, 60, 6).Old, DiffInputs.Edited(5, 60, 6).New).Serialize();
        var texts =
            from start in Gen.Choose(0, stored.Length)
            from length in Gen.Choose(0, 12)
            from insert in Gen.Elements("", "-", "0", "1", "9", "-1", "99999999999", "2147483647", ",", "[", "]", "{", "}", "\"", ":", "null", "[]", "1.5", "1e3", "\\u0000", "\\ud800", " ")
            from truncate in Gen.Choose(0, stored.Length + 20)
            let spliced = stored[..start] + insert + stored[Math.Min(stored.Length, start + length)..]
            select spliced[..Math.Min(truncate, spliced.Length)];

        Prop.ForAll(texts.ToArbitrary(), ReadsBackWholeOrRefuses).Check(Config.QuickThrowOnFailure.WithMaxTest(3000));
    }

    [Fact]
    public void Stored_diffs_made_of_arbitrary_numbers_are_read_back_whole_or_refused_with_a_format_error()
    {
        var number = Gen.OneOf(Gen.Choose(-2, 6), Gen.Elements(int.MinValue, int.MaxValue, 1000));
        var texts =
            from oldCount in Gen.Choose(-1, 6)
            from newCount in Gen.Choose(-1, 6)
            from edits in Gen.ArrayOf(number)
            from modified in Gen.ArrayOf(Gen.ArrayOf(number))
            select $"{{\"v\":1,\"o\":{oldCount},\"n\":{newCount},\"e\":[{string.Join(',', edits)}],\"m\":[{string.Join(',', modified.Select(m => "[" + string.Join(',', m) + "]"))}]}}";

        Prop.ForAll(texts.ToArbitrary(), ReadsBackWholeOrRefuses).Check(Config.QuickThrowOnFailure.WithMaxTest(3000));
    }

    [Fact]
    public void Side_by_side_rows_show_every_line_of_each_side_once_when_all_context_is_expanded() =>
        Prop.ForAll(Lines(), Lines(), (oldLines, newLines) =>
        {
            var diff = FileDiff.Compute(oldLines, newLines);
            var rows = DiffLayout.SideBySide(diff, context: int.MaxValue / 4);
            if (oldLines.Length > 0 && oldLines.SequenceEqual(newLines))
            {
                // Nothing changed, so there is no hunk to give context to: the whole file is one expandable gap.
                return rows.Count == 1 && rows[0].Gap == new DiffGap(0, 0, oldLines.Length);
            }

            return rows.All(r => r.Kind != DiffRowKind.Gap)
                   && rows.Where(r => r.OldLine is not null).Select(r => r.OldLine!.Value).SequenceEqual(Enumerable.Range(0, oldLines.Length))
                   && rows.Where(r => r.NewLine is not null).Select(r => r.NewLine!.Value).SequenceEqual(Enumerable.Range(0, newLines.Length));
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void A_file_with_no_change_is_one_expandable_gap_whatever_the_context()
    {
        string[] lines = ["a", "", "b"];
        var diff = FileDiff.Compute(lines, lines);

        Assert.Equal(new DiffGap(0, 0, 3), Assert.Single(DiffLayout.SideBySide(diff, context: int.MaxValue / 4)).Gap);
        Assert.Equal(3, DiffLayout.SideBySide(diff, expandedGaps: new HashSet<int> { 0 }).Count(r => r.Kind == DiffRowKind.Context));
    }

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

    [Fact]
    public void The_stored_form_of_source_files_edited_in_hunks_reads_back_with_every_word_span() =>
        Prop.ForAll(DiffInputs.ClusteredEdits(), file =>
        {
            var diff = FileDiff.Compute(file.Old, file.New);
            return diff.Serialize() == FileDiff.Deserialize(diff.Serialize()).Serialize();
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(200));

    [Fact]
    public void Unified_rows_show_every_line_of_each_side_once_in_order_when_every_gap_is_expanded() =>
        Prop.ForAll(DiffInputs.ClusteredEdits(), file =>
        {
            var rows = FullyExpanded(FileDiff.Compute(file.Old, file.New), DiffLayout.Unified);
            return rows.All(r => r.Kind != DiffRowKind.Gap && r.Kind != DiffRowKind.Modified)
                   && rows.Where(r => r.OldLine is not null).Select(r => r.OldLine!.Value).SequenceEqual(Enumerable.Range(0, file.Old.Length))
                   && rows.Where(r => r.NewLine is not null).Select(r => r.NewLine!.Value).SequenceEqual(Enumerable.Range(0, file.New.Length));
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(200));

    [Fact]
    public void Side_by_side_rows_of_edited_source_show_each_line_once_and_pair_only_modified_lines() =>
        Prop.ForAll(DiffInputs.ClusteredEdits(), file =>
        {
            var diff = FileDiff.Compute(file.Old, file.New);
            var rows = FullyExpanded(diff, DiffLayout.SideBySide);
            var pairs = diff.ModifiedLines.ToDictionary(p => p.OldLine);
            return rows.All(r => r.Kind != DiffRowKind.Gap)
                   && rows.Where(r => r.OldLine is not null).Select(r => r.OldLine!.Value).SequenceEqual(Enumerable.Range(0, file.Old.Length))
                   && rows.Where(r => r.NewLine is not null).Select(r => r.NewLine!.Value).SequenceEqual(Enumerable.Range(0, file.New.Length))
                   && rows.Where(r => r.Kind == DiffRowKind.Context).All(r => file.Old[r.OldLine!.Value] == file.New[r.NewLine!.Value])
                   && rows.Where(r => r.OldChanged is not null).All(r => pairs[r.OldLine!.Value].NewLine == r.NewLine);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(200));

    [Fact]
    public void Side_by_side_puts_an_inserted_line_on_its_own_row_and_keeps_modified_lines_together()
    {
        var diff = FileDiff.Compute(
            "var total = price * quantity;\nreturn total;\n",
            "_logger.Information(\"pricing\");\nvar total = price * quantity * rate;\nreturn total * 2;\n");

        var rows = DiffLayout.SideBySide(diff);

        Assert.Equal([(DiffRowKind.Inserted, null, 0), (DiffRowKind.Modified, 0, 1), (DiffRowKind.Modified, 1, 2)], rows.Select(r => (r.Kind, r.OldLine, r.NewLine)));
        Assert.NotNull(rows[1].NewChanged);
    }

    [Fact]
    public void Unrelated_replaced_lines_sit_side_by_side_without_word_level_changes()
    {
        var diff = FileDiff.Compute("a\nreturn a + b;\nz\n", "a\n_logger.Flush();\nz\n");

        var row = Assert.Single(DiffLayout.SideBySide(diff), r => r.Kind == DiffRowKind.Modified);
        Assert.Equal((1, 1), (row.OldLine, row.NewLine));
        Assert.Null(row.OldChanged);
        Assert.Null(row.NewChanged);
        Assert.Empty(diff.ModifiedLines);
    }

    [Fact]
    public void A_renamed_file_with_the_same_content_has_no_changes_and_one_collapsed_gap()
    {
        var diff = FileDiff.Compute("a\nb\nc\n", "a\nb\nc\n");

        Assert.True(diff.IsEmpty);
        Assert.Empty(diff.Hunks());
        Assert.Equal([new DiffGap(0, 0, 3)], DiffLayout.SideBySide(diff).Select(r => r.Gap));
    }

    [Fact]
    public void A_deleted_file_is_all_deleted_lines_and_an_added_file_all_inserted_ones()
    {
        var deleted = FileDiff.Compute("a\nb\n", null);
        var added = FileDiff.Compute(null, "a\nb\nc\n");

        Assert.Equal((0, 2), (deleted.Additions, deleted.Deletions));
        Assert.All(DiffLayout.SideBySide(deleted), r => Assert.Equal((DiffRowKind.Deleted, (int?)null), (r.Kind, r.NewLine)));
        Assert.Equal((3, 0), (added.Additions, added.Deletions));
        Assert.All(DiffLayout.Unified(added), r => Assert.Equal((DiffRowKind.Inserted, (int?)null), (r.Kind, r.OldLine)));
        Assert.Equal("@@ -0,0 +1,3 @@", Assert.Single(added.Hunks()).Header);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("", "")]
    [InlineData(null, "")]
    [InlineData("", null)]
    public void Empty_and_missing_files_have_no_lines_and_no_rows(string? oldContent, string? newContent)
    {
        var diff = FileDiff.Compute(oldContent, newContent);

        Assert.Equal((0, 0), (diff.OldLineCount, diff.NewLineCount));
        Assert.Empty(diff.Edits);
        Assert.Empty(DiffLayout.SideBySide(diff));
        Assert.Empty(DiffLayout.Unified(diff));
    }

    [Fact]
    public void A_missing_final_newline_does_not_change_the_lines_and_the_last_line_diffs_normally()
    {
        Assert.True(FileDiff.Compute("a\nb", "a\nb\n").IsEmpty);

        var diff = FileDiff.Compute("a\nb", "a\nc");
        Assert.Equal([new Edit(EditKind.Equal, 0, 0, 1), new Edit(EditKind.Delete, 1, 1, 1), new Edit(EditKind.Insert, 2, 1, 1)], diff.Edits);
    }

    [Fact]
    public void Crlf_lines_keep_their_carriage_return_so_a_change_of_line_endings_shows_on_every_line()
    {
        var same = FileDiff.Compute("a\r\nb\r\n", "a\r\nb\r\n");
        var converted = FileDiff.Compute("a\r\nb\r\n", "a\nb\n");

        Assert.True(same.IsEmpty);
        Assert.Equal(2, same.OldLineCount);
        Assert.Equal((2, 2), (converted.Additions, converted.Deletions));
        var pair = converted.ModifiedLines[0];
        Assert.Equal([new TextSpan(1, 1)], pair.OldChanged);
        Assert.Empty(pair.NewChanged);
        Assert.Equal("a", DiffText.Display("a\r"));
    }

    [Fact]
    public void A_very_long_modified_line_is_shown_changed_whole()
    {
        var line = string.Concat(Enumerable.Repeat("token ", 20_000));
        var diff = FileDiff.Compute($"a\n{line}\nz\n", $"a\n{line}x\nz\n");

        Assert.Equal((1, 1), (diff.Additions, diff.Deletions));
        Assert.Empty(diff.ModifiedLines);
        Assert.Contains(DiffLayout.SideBySide(diff), r => r.Kind == DiffRowKind.Modified && r.OldChanged is null);
    }

    [Fact]
    [Trait("Category", "BadInput")]
    public void A_one_line_file_of_two_megabytes_is_diffed_as_one_line_replaced_whole()
    {
        var line = string.Concat(Enumerable.Repeat("var a=1,b=2;", 160_000));
        var changed = line[..950_000] + "c" + line[950_001..];

        var diff = FileDiff.Compute(line, changed);

        Assert.Equal((1, 1), (diff.Additions, diff.Deletions));
        Assert.Empty(diff.ModifiedLines);
        var row = Assert.Single(DiffLayout.SideBySide(diff));
        Assert.Equal((DiffRowKind.Modified, null, null), (row.Kind, row.OldChanged, row.NewChanged));
    }

    [Fact]
    public void A_20000_line_rewrite_is_diffed_with_its_word_level_changes_without_going_quadratic()
    {
        var random = new Random(11);
        var old = DiffInputs.SourceFile(random, 20_000);
        var @new = DiffInputs.SourceFile(random, 20_000);
        FileDiff.Compute(old[..2000], @new[..2000]);

        var (diff, milliseconds) = Timing.FastestOf(3, () => FileDiff.Compute(old, @new));

        Assert.Equal(@new, LineDiffEngine.Apply(old, @new, diff.Edits));
        // Generous for a noisy 2-core machine (plain DiffPlex takes seconds); the diff benchmark measures properly.
        Assert.True(milliseconds < 2000, $"took {milliseconds} ms at best");
    }

    /// <summary>The rows once the reader has expanded every gap the first layout offered.</summary>
    private static IReadOnlyList<DiffRow> FullyExpanded(FileDiff diff, Func<FileDiff, int, IReadOnlySet<int>?, IReadOnlyList<DiffRow>> layout)
    {
        var gaps = layout(diff, DiffHunk.DefaultContext, null).Where(r => r.Kind == DiffRowKind.Gap).Select(r => r.Gap!.OldStart).ToHashSet();
        return layout(diff, DiffHunk.DefaultContext, gaps);
    }

    /// <summary>What the reader must do with any text: give back a diff that lays out and stores again, or refuse it as a format error.</summary>
    private static bool ReadsBackWholeOrRefuses(string text)
    {
        FileDiff diff;
        try
        {
            diff = FileDiff.Deserialize(text);
        }
        catch (FormatException)
        {
            return true;
        }

        _ = DiffLayout.SideBySide(diff);
        _ = DiffLayout.Unified(diff, context: 0);
        _ = diff.Hunks();
        return FileDiff.Deserialize(diff.Serialize()).Serialize() == diff.Serialize();
    }

    private static Arbitrary<string[]> Lines() => Gen.ArrayOf(Gen.Elements(SourceLines)).ToArbitrary();
}
