using FsCheck;
using FsCheck.Fluent;
using ReviewPortal.Domain.Diff;

namespace ReviewPortal.Domain.Tests.Diff;

public sealed class DiffTests
{
    [Fact]
    public void Line_changes_number_added_and_removed_lines_on_their_own_side()
    {
        var changes = FileLineChanges.Compute("a.cs", "one\ntwo\nthree\n", "one\n2\nthree\nfour\n");

        Assert.Equal([new ChangedLine(2, "two")], changes.Removed);
        Assert.Equal([new ChangedLine(2, "2"), new ChangedLine(4, "four")], changes.Added);
        Assert.Equal(3, changes.ChangedLineCount);
    }

    [Fact]
    public void Added_and_deleted_files_are_all_additions_or_all_deletions()
    {
        Assert.Equal((3, 0), Stats(FileLineChanges.Compute("n.cs", null, "a\nb\nc\n")));
        Assert.Equal((0, 2), Stats(FileLineChanges.Compute("d.cs", "a\nb\n", null)));

        static (int, int) Stats(FileLineChanges c) => (c.Additions, c.Deletions);
    }

    [Theory]
    [InlineData(null, "a\n", FileChangeKind.Added)]
    [InlineData("a\n", null, FileChangeKind.Deleted)]
    [InlineData("a\n", "b\n", FileChangeKind.Modified)]
    [InlineData("", "b\n", FileChangeKind.Modified)]
    public void The_change_kind_follows_from_which_side_is_missing(string? oldContent, string? newContent, FileChangeKind kind) =>
        Assert.Equal(kind, FileLineChanges.Compute("f.cs", oldContent, newContent).Kind);

    [Fact]
    public void A_hand_built_file_change_counts_as_a_modification() =>
        Assert.Equal(FileChangeKind.Modified, new FileLineChanges("f.cs", [], []).Kind);

    [Fact]
    public void A_final_newline_does_not_count_as_an_extra_line()
    {
        Assert.Equal(2, FileLineChanges.Compute("a", null, "x\ny\n").Additions);
        Assert.Equal(2, FileLineChanges.Compute("a", null, "x\r\ny\r\n").Additions);
        Assert.Equal(2, SideBySideDiff.Compute(null, "x\ny\n").Rows.Count);
    }

    [Fact]
    public void Side_by_side_pairs_a_modified_line_and_marks_only_the_changed_words()
    {
        var diff = SideBySideDiff.Compute("var total = price * quantity;\n", "var total = price * quantity * taxRate;\n");

        var row = Assert.Single(diff.Rows, r => r.IsChange);
        Assert.Equal(DiffLineKind.Modified, row.Left.Kind);
        Assert.Equal(DiffLineKind.Modified, row.Right.Kind);
        Assert.Contains(row.Right.Segments, s => s.Changed && s.Text.Contains("taxRate", StringComparison.Ordinal));
        Assert.Contains(row.Right.Segments, s => !s.Changed && s.Text.Contains("var total", StringComparison.Ordinal));
        Assert.Equal("var total = price * quantity * taxRate;", row.Right.Text);
    }

    [Fact]
    public void Side_by_side_pads_the_other_side_of_inserted_lines()
    {
        var diff = SideBySideDiff.Compute("a\nc\n", "a\nb\nc\n");

        var inserted = Assert.Single(diff.Rows, r => r.Right.Kind == DiffLineKind.Inserted);
        Assert.Equal(DiffLineKind.Empty, inserted.Left.Kind);
        Assert.Null(inserted.Left.LineNumber);
        Assert.Equal(2, inserted.Right.LineNumber);
        Assert.Equal(1, diff.Additions);
        Assert.Equal(0, diff.Deletions);
    }

    [Fact]
    public void Each_side_of_a_side_by_side_diff_reads_back_as_its_file() =>
        Prop.ForAll(Texts(), Texts(), (oldText, newText) =>
        {
            var diff = SideBySideDiff.Compute(oldText, newText);
            var left = diff.Rows.Where(r => r.Left.Kind != DiffLineKind.Empty).Select(r => r.Left.Text);
            var right = diff.Rows.Where(r => r.Right.Kind != DiffLineKind.Empty).Select(r => r.Right.Text);
            return left.SequenceEqual(Lines(oldText)) && right.SequenceEqual(Lines(newText));
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Line_change_counts_agree_with_the_side_by_side_view() =>
        Prop.ForAll(Texts(), Texts(), (oldText, newText) =>
        {
            var lines = FileLineChanges.Compute("f", oldText, newText);
            var view = SideBySideDiff.Compute(oldText, newText);
            return lines.Additions == view.Additions && lines.Deletions == view.Deletions;
        }).QuickCheckThrowOnFailure();

    private static Arbitrary<string> Texts() =>
        Gen.ListOf(Gen.Elements("int a = 1;", "int b = 2;", "return a + b;", "}", "{", "", "// note", "a = b;"))
            .Select(lines => string.Join('\n', lines))
            .ToArbitrary();

    // A final newline ends the last line instead of starting an empty one, as in git.
    private static string[] Lines(string text)
    {
        var trimmed = text.EndsWith('\n') ? text[..^1] : text;
        return trimmed.Length == 0 ? [] : trimmed.Split('\n');
    }
}
