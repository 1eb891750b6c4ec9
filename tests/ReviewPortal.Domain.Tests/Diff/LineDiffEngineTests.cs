using System.Diagnostics;
using FsCheck;
using FsCheck.Fluent;
using ReviewPortal.Domain.Diff;

namespace ReviewPortal.Domain.Tests.Diff;

public sealed class LineDiffEngineTests
{
    private static readonly string[] SourceLines = ["{", "}", "", "return x;", "var a = 1;", "var b = 2;", "if (a > b)", "// note", "x++;", "y--;"];

    [Fact]
    public void Applying_the_script_to_the_old_lines_gives_the_new_lines() =>
        Prop.ForAll(DiffInputs.RepetitiveLines(), DiffInputs.RepetitiveLines(), (oldLines, newLines) => Rebuilds(oldLines, newLines))
            .Check(Config.QuickThrowOnFailure.WithMaxTest(500));

    [Fact]
    public void Applying_the_script_gives_the_new_lines_for_arbitrary_text() =>
        Prop.ForAll(DiffInputs.ArbitraryLines(), DiffInputs.ArbitraryLines(), (oldLines, newLines) => Rebuilds(oldLines, newLines))
            .Check(Config.QuickThrowOnFailure.WithMaxTest(300));

    [Fact]
    public void Applying_the_script_gives_the_new_lines_for_source_files_edited_in_hunks() =>
        Prop.ForAll(DiffInputs.ClusteredEdits(), file => Rebuilds(file.Old, file.New))
            .Check(Config.QuickThrowOnFailure.WithMaxTest(300));

    [Fact]
    public void The_script_accounts_for_every_line_once_and_equal_runs_are_equal() =>
        Prop.ForAll(DiffInputs.RepetitiveLines(), DiffInputs.RepetitiveLines(), (oldLines, newLines) =>
        {
            var edits = LineDiffEngine.Diff(oldLines, newLines);
            return edits.Where(e => e.Kind != EditKind.Insert).Sum(e => e.Count) == oldLines.Length
                   && edits.Where(e => e.Kind != EditKind.Delete).Sum(e => e.Count) == newLines.Length
                   && edits.All(e => e.Count > 0)
                   && edits.Where(e => e.Kind == EditKind.Equal).All(e => Enumerable.Range(0, e.Count).All(k => oldLines[e.OldStart + k] == newLines[e.NewStart + k]));
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Small_files_get_a_minimal_script() =>
        Prop.ForAll(DiffInputs.RepetitiveLines(), DiffInputs.RepetitiveLines(), (oldLines, newLines) =>
        {
            var equal = LineDiffEngine.Diff(oldLines, newLines).Where(e => e.Kind == EditKind.Equal).Sum(e => e.Count);
            return equal == DiffInputs.LongestCommonSubsequence(oldLines, newLines);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(500));

    [Fact]
    public void An_edit_in_hunks_is_found_as_no_more_changed_lines_than_it_made() =>
        Prop.ForAll(DiffInputs.ClusteredEdits(), file =>
        {
            var edits = LineDiffEngine.Diff(file.Old, file.New);
            return edits.Where(e => e.Kind == EditKind.Insert).Sum(e => e.Count) <= file.Inserted;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(300));

    [Fact]
    public void Large_files_edited_in_hunks_are_diffed_hunk_by_hunk_not_as_replaced_blocks()
    {
        // Large enough that the file is split at unique lines before Myers runs on the pieces.
        for (var seed = 0; seed < 6; seed++)
        {
            var file = DiffInputs.Edited(seed, 6000, 60);
            var edits = LineDiffEngine.Diff(file.Old, file.New);

            Assert.Equal(file.New, LineDiffEngine.Apply(file.Old, file.New, edits));
            Assert.True(edits.Where(e => e.Kind == EditKind.Insert).Sum(e => e.Count) <= file.Inserted, file.ToString());
        }
    }

    [Fact]
    public void Identical_files_are_one_equal_run_and_a_single_edit_is_found_exactly()
    {
        var lines = Enumerable.Range(0, 100).Select(i => $"line {i}").ToArray();
        var changed = lines.ToArray();
        changed[50] = "changed";

        Assert.Equal([new Edit(EditKind.Equal, 0, 0, 100)], LineDiffEngine.Diff(lines, lines));
        Assert.Equal(
            [new Edit(EditKind.Equal, 0, 0, 50), new Edit(EditKind.Delete, 50, 50, 1), new Edit(EditKind.Insert, 51, 50, 1), new Edit(EditKind.Equal, 51, 51, 49)],
            LineDiffEngine.Diff(lines, changed));
    }

    [Fact]
    public void Empty_sides_give_a_single_insert_or_delete_or_nothing()
    {
        string[] lines = ["a", "b"];

        Assert.Empty(LineDiffEngine.Diff([], []));
        Assert.Equal([new Edit(EditKind.Insert, 0, 0, 2)], LineDiffEngine.Diff([], lines));
        Assert.Equal([new Edit(EditKind.Delete, 0, 0, 2)], LineDiffEngine.Diff(lines, []));
    }

    [Fact]
    public void A_changed_line_ending_is_a_changed_line()
    {
        var edits = LineDiffEngine.Diff(["a\r", "b\r", "c\r"], ["a\r", "b", "c\r"]);

        Assert.Equal([new Edit(EditKind.Equal, 0, 0, 1), new Edit(EditKind.Delete, 1, 1, 1), new Edit(EditKind.Insert, 2, 1, 1), new Edit(EditKind.Equal, 2, 2, 1)], edits);
    }

    [Fact]
    public void An_inserted_method_is_shown_with_its_blank_line_after_it_as_git_does()
    {
        string[] old = ["class C", "{", "    void B()", "    {", "    }", "}"];
        string[] @new = ["class C", "{", "    void A()", "    {", "    }", "", "    void B()", "    {", "    }", "}"];

        var inserted = Assert.Single(LineDiffEngine.Diff(old, @new), e => e.Kind == EditKind.Insert);

        Assert.Equal(["    void A()", "    {", "    }", ""], @new[inserted.NewStart..(inserted.NewStart + inserted.Count)]);
    }

    [Fact]
    public void An_insertion_that_could_slide_over_equal_lines_is_placed_where_git_places_it()
    {
        // Myers alone puts the two new lines after the first "void X()"; git slides them to the top.
        string[] old = ["void X()", "    a();", "    }", "    {"];
        string[] @new = ["void X()", "void X()", "void X()", "    a();", "    }", "    {"];

        Assert.Equal([new Edit(EditKind.Insert, 0, 0, 2), new Edit(EditKind.Equal, 0, 2, 4)], LineDiffEngine.Diff(old, @new));
    }

    [Fact]
    public void A_file_rewritten_beyond_recognition_is_replaced_rather_than_matched_on_braces()
    {
        var random = new Random(3);
        var old = DiffInputs.SourceFile(random, 8000);
        var @new = DiffInputs.SourceFile(random, 8000);

        var edits = LineDiffEngine.Diff(old, @new);

        Assert.Equal(@new, LineDiffEngine.Apply(old, @new, edits));
        // A minimal script would keep thousands of braces and blank lines as confetti between the changes.
        Assert.True(edits.Where(e => e.Kind == EditKind.Equal).Sum(e => e.Count) < 100, string.Join(", ", edits.Where(e => e.Kind == EditKind.Equal)));
    }

    [Fact]
    public void Very_long_lines_are_compared_whole()
    {
        var longLine = new string('x', 200_000);
        var edits = LineDiffEngine.Diff(["a", longLine, "b"], ["a", longLine + "y", "b"]);

        Assert.Equal([new Edit(EditKind.Equal, 0, 0, 1), new Edit(EditKind.Delete, 1, 1, 1), new Edit(EditKind.Insert, 2, 1, 1), new Edit(EditKind.Equal, 2, 2, 1)], edits);
    }

    [Fact]
    public void A_full_rewrite_of_a_20000_line_file_is_correct_and_does_not_go_quadratic()
    {
        var random = new Random(7);
        string Line(int i) => random.Next(4) == 0 ? SourceLines[random.Next(SourceLines.Length)] : $"    var v{i} = Compute({random.Next(1000)});";
        var oldLines = Enumerable.Range(0, 20_000).Select(Line).ToArray();
        var newLines = Enumerable.Range(0, 20_000).Select(i => Line(i + 50_000)).ToArray();
        LineDiffEngine.Diff(oldLines[..2000], newLines[..2000]);

        var watch = Stopwatch.StartNew();
        var edits = LineDiffEngine.Diff(oldLines, newLines);
        watch.Stop();

        Assert.Equal(newLines, LineDiffEngine.Apply(oldLines, newLines, edits));
        // A generous bound for a noisy 2-core machine: plain Myers takes seconds here; the benchmark measures properly.
        Assert.True(watch.ElapsedMilliseconds < 2000, $"took {watch.ElapsedMilliseconds} ms");
    }

    private static bool Rebuilds(string[] oldLines, string[] newLines) =>
        LineDiffEngine.Apply(oldLines, newLines, LineDiffEngine.Diff(oldLines, newLines)).SequenceEqual(newLines);
}
