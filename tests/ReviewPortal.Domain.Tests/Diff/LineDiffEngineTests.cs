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
        Prop.ForAll(Lines(), Lines(), (oldLines, newLines) =>
            LineDiffEngine.Apply(oldLines, newLines, LineDiffEngine.Diff(oldLines, newLines)).SequenceEqual(newLines))
            .QuickCheckThrowOnFailure();

    [Fact]
    public void The_script_accounts_for_every_line_once() =>
        Prop.ForAll(Lines(), Lines(), (oldLines, newLines) =>
        {
            var edits = LineDiffEngine.Diff(oldLines, newLines);
            return edits.Where(e => e.Kind != EditKind.Insert).Sum(e => e.Count) == oldLines.Length
                   && edits.Where(e => e.Kind != EditKind.Delete).Sum(e => e.Count) == newLines.Length
                   && edits.Where(e => e.Kind == EditKind.Equal).All(e => Enumerable.Range(0, e.Count).All(k => oldLines[e.OldStart + k] == newLines[e.NewStart + k]));
        }).QuickCheckThrowOnFailure();

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

    private static Arbitrary<string[]> Lines() =>
        Gen.ArrayOf(Gen.Elements(SourceLines)).ToArbitrary();
}
