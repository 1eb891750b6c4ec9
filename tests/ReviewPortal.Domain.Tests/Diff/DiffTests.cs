using DiffPlex;
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
    }

    [Fact]
    public void Line_change_counts_are_as_small_as_those_of_DiffPlex() =>
        Prop.ForAll(Texts(), Texts(), (oldText, newText) =>
        {
            // A file of one empty line ("\n") is one line to git and to the stored diff; DiffPlex sees none (below).
            if (oldText == "\n" || newText == "\n")
            {
                return true;
            }

            var lines = FileLineChanges.Compute("f", oldText, newText);
            var reference = new Differ().CreateLineDiffs(WithoutFinalNewline(oldText), WithoutFinalNewline(newText), ignoreWhitespace: false);
            return lines.Additions == reference.DiffBlocks.Sum(b => b.InsertCountB) && lines.Deletions == reference.DiffBlocks.Sum(b => b.DeleteCountA);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(1000));

    [Fact]
    public void Line_changes_are_exactly_the_lines_the_stored_diff_shows_changed() =>
        Prop.ForAll(DiffInputs.ClusteredEdits(), Gen.Elements("\n", "\r\n").ToArbitrary(), (file, newline) =>
        {
            var oldText = string.Concat(file.Old.Select(l => l + newline));
            var newText = string.Concat(file.New.Select(l => l + newline));
            var changes = FileLineChanges.Compute("f.cs", oldText, newText);
            var diff = FileDiff.Compute(oldText, newText);
            var removed = diff.Edits.Where(e => e.Kind == EditKind.Delete).SelectMany(e => Enumerable.Range(e.OldStart + 1, e.Count));
            var added = diff.Edits.Where(e => e.Kind == EditKind.Insert).SelectMany(e => Enumerable.Range(e.NewStart + 1, e.Count));
            return changes.Removed.Select(l => l.Number).SequenceEqual(removed)
                   && changes.Added.Select(l => l.Number).SequenceEqual(added)
                   && changes.Added.All(l => l.Text == file.New[l.Number - 1])
                   && changes.Removed.All(l => l.Text == file.Old[l.Number - 1]);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(200));

    [Fact]
    public void A_file_of_one_empty_line_has_one_line_as_in_git()
    {
        Assert.Equal(1, FileLineChanges.Compute("a", null, "\n").Additions);
        Assert.Equal(0, FileLineChanges.Compute("a", null, "").Additions);
    }

    [Fact]
    public void Crlf_lines_are_reported_without_their_carriage_return()
    {
        var changes = FileLineChanges.Compute("a.cs", "one\r\ntwo\r\n", "one\r\n2\r\n");

        Assert.Equal([new ChangedLine(2, "two")], changes.Removed);
        Assert.Equal([new ChangedLine(2, "2")], changes.Added);
    }

    [Fact]
    public void Line_changes_of_a_diff_already_computed_match_computing_them_afresh()
    {
        var oldLines = DiffText.SplitLines("a\nb\nc\n");
        var newLines = DiffText.SplitLines("a\nc\nd\n");

        var fromEdits = FileLineChanges.From("f", FileChangeKind.Modified, oldLines, newLines, FileDiff.Compute(oldLines, newLines).Edits);

        var computed = FileLineChanges.Compute("f", "a\nb\nc\n", "a\nc\nd\n");
        Assert.Equal(computed.Added, fromEdits.Added);
        Assert.Equal(computed.Removed, fromEdits.Removed);
    }

    [Fact]
    public void Ingest_of_a_rewritten_20000_line_file_is_fast()
    {
        var random = new Random(5);
        var oldText = string.Concat(DiffInputs.SourceFile(random, 20_000).Select(l => l + "\n"));
        var newText = string.Concat(DiffInputs.SourceFile(random, 20_000).Select(l => l + "\n"));

        var (changes, milliseconds) = Timing.FastestOf(3, () => FileLineChanges.Compute("big.cs", oldText, newText));

        Assert.True(changes.ChangedLineCount > 30_000);
        // Generous for a noisy 2-core machine: DiffPlex, which ingest used before, takes seconds here.
        Assert.True(milliseconds < 2000, $"took {milliseconds} ms at best");
    }

    private static Arbitrary<string> Texts() =>
        Gen.ListOf(Gen.Elements("int a = 1;", "int b = 2;", "return a + b;", "}", "{", "", "// note", "a = b;"))
            .Select(lines => string.Join('\n', lines))
            .ToArbitrary();

    // DiffPlex would count the empty line after a final newline; git and the portal do not.
    private static string WithoutFinalNewline(string text) =>
        text.EndsWith("\r\n", StringComparison.Ordinal) ? text[..^2] : text.EndsWith('\n') || text.EndsWith('\r') ? text[..^1] : text;
}
