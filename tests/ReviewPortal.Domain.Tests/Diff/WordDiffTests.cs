using FsCheck;
using FsCheck.Fluent;
using ReviewPortal.Domain.Diff;

namespace ReviewPortal.Domain.Tests.Diff;

public sealed class WordDiffTests
{
    [Fact]
    public void Only_the_inserted_words_are_marked()
    {
        var (oldChanged, newChanged) = WordDiff.Changes("var total = price * quantity;", "var total = price * quantity * taxRate;");

        Assert.Empty(oldChanged);
        Assert.Equal([new TextSpan(28, 10)], newChanged);
        Assert.Equal(" * taxRate", "var total = price * quantity * taxRate;".Substring(28, 10));
    }

    [Fact]
    public void A_changed_line_ending_is_marked_on_the_side_that_has_it()
    {
        var (oldChanged, newChanged) = WordDiff.Changes("a = 1;\r", "a = 2;");

        Assert.Equal([new TextSpan(4, 1), new TextSpan(6, 1)], oldChanged);
        Assert.Equal([new TextSpan(4, 1)], newChanged);
    }

    [Fact]
    public void A_changed_emoji_is_marked_whole_never_half_a_surrogate_pair()
    {
        var (oldChanged, newChanged) = WordDiff.Changes("ok 😀 done", "ok 😃 done");

        Assert.Equal([new TextSpan(3, 2)], oldChanged);
        Assert.Equal([new TextSpan(3, 2)], newChanged);
    }

    [Fact]
    public void Lines_with_little_in_common_are_changed_whole()
    {
        var (oldChanged, newChanged) = WordDiff.Changes("return a + b;", "_logger.Flush();");

        Assert.Equal([new TextSpan(0, 13)], oldChanged);
        Assert.Equal([new TextSpan(0, 16)], newChanged);
    }

    [Fact]
    public void Lines_longer_than_the_limit_are_changed_whole()
    {
        var line = new string('a', WordDiff.MaxLineLength) + " b";

        var (oldChanged, newChanged) = WordDiff.Changes(line, line + "c");

        Assert.Equal([new TextSpan(0, line.Length)], oldChanged);
        Assert.Equal([new TextSpan(0, line.Length + 1)], newChanged);
    }

    [Fact]
    public void An_inserted_line_does_not_shift_the_pairing_of_the_modified_lines_below_it()
    {
        string[] old = ["var total = price * quantity;", "return total;"];
        string[] @new = ["_logger.Information(\"pricing\");", "var total = price * quantity * rate;", "return total * 2;"];

        var pairs = WordDiff.PairModifiedLines(old, @new, LineDiffEngine.Diff(old, @new));

        Assert.Equal([(0, 1), (1, 2)], pairs.Select(p => (p.OldLine, p.NewLine)));
    }

    [Fact]
    public void Unrelated_replaced_lines_are_not_paired()
    {
        string[] old = ["return a + b;", "x = 1;"];
        string[] @new = ["_logger.Flush();", "x = 2;"];

        var pair = Assert.Single(WordDiff.PairModifiedLines(old, @new, LineDiffEngine.Diff(old, @new)));

        Assert.Equal((1, 1), (pair.OldLine, pair.NewLine));
    }

    [Fact]
    public void Marked_spans_are_whole_tokens_inside_their_line_in_order_and_never_touching() =>
        Prop.ForAll(Lines(), Lines(), (oldText, newText) =>
        {
            var (oldChanged, newChanged) = WordDiff.Changes(oldText, newText);
            return WellFormed(oldText, oldChanged) && WellFormed(newText, newChanged);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(1000));

    [Fact]
    public void Unchanged_tokens_are_never_marked_and_what_is_left_unmarked_is_the_same_on_both_sides() =>
        Prop.ForAll(Lines(), Lines(), (oldText, newText) =>
        {
            var oldTokens = Tokens(oldText);
            var newTokens = Tokens(newText);
            var common = DiffInputs.LongestCommonSubsequence(oldTokens, newTokens);
            var edits = oldTokens.Count + newTokens.Count - (2 * common);
            var (oldChanged, newChanged) = WordDiff.Changes(oldText, newText);
            if (edits > Math.Min((oldTokens.Count + newTokens.Count) / 2, WordDiff.MaxTokenEdits))
            {
                // Less than half the same: changed whole.
                return Whole(oldText, oldChanged) && Whole(newText, newChanged);
            }

            var oldKept = Unmarked(oldText, oldChanged);
            var newKept = Unmarked(newText, newChanged);
            return oldKept.SequenceEqual(newKept) && oldKept.Count == common;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(1000));

    [Fact]
    public void Pairs_are_in_order_inside_their_block_and_carry_the_changes_of_their_two_lines() =>
        Prop.ForAll(DiffInputs.ClusteredEdits(), file =>
        {
            var edits = LineDiffEngine.Diff(file.Old, file.New);
            var pairs = WordDiff.PairModifiedLines(file.Old, file.New, edits);
            var blocks = edits.Zip(edits.Skip(1)).Where(p => p.First.Kind == EditKind.Delete && p.Second.Kind == EditKind.Insert).ToList();
            return pairs.Zip(pairs.Skip(1)).All(p => p.First.OldLine < p.Second.OldLine && p.First.NewLine < p.Second.NewLine)
                   && pairs.All(p => blocks.Any(b => p.OldLine >= b.First.OldStart && p.OldLine < b.First.OldStart + b.First.Count
                                                     && p.NewLine >= b.Second.NewStart && p.NewLine < b.Second.NewStart + b.Second.Count))
                   && pairs.All(p =>
                   {
                       var (oldChanged, newChanged) = WordDiff.Changes(file.Old[p.OldLine], file.New[p.NewLine]);
                       return oldChanged.SequenceEqual(p.OldChanged) && newChanged.SequenceEqual(p.NewChanged)
                              && WellFormed(file.Old[p.OldLine], p.OldChanged) && WellFormed(file.New[p.NewLine], p.NewChanged);
                   });
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(200));

    [Fact]
    public void Word_level_changes_of_20000_modified_lines_take_well_under_a_second()
    {
        var old = Enumerable.Range(0, 20_000).Select(i => $"        var total{i} = ledger.Compute(order{i % 97}, {i});").ToArray();
        var @new = old.Select((line, i) => i % 3 == 0 ? line.Replace("Compute", "ComputeAsync", StringComparison.Ordinal) : line + " // checked").ToArray();
        FileDiff.Compute(old[..1000], @new[..1000]);

        var (diff, milliseconds) = Timing.FastestOf(3, () => FileDiff.Compute(old, @new));

        Assert.Equal(20_000, diff.ModifiedLines.Count);
        Assert.All(diff.ModifiedLines, p => Assert.Equal(p.OldLine, p.NewLine));
        // Generous for a noisy 2-core machine; the diff benchmark measures this properly.
        Assert.True(milliseconds < 2000, $"took {milliseconds} ms at best");
    }

    /// <summary>Lines of words, spaces, punctuation and a few non-ASCII characters, so pairs share some tokens.</summary>
    private static Arbitrary<string> Lines() =>
        Gen.ArrayOf(Gen.Elements("var", "total", "x", "1", "2", " ", "  ", "\t", "=", ";", "(", ")", ".", "_a", "é", "😀", "\r"))
            .Select(parts => string.Concat(parts))
            .ToArbitrary();

    private static List<string> Tokens(string text) => WordDiff.Tokenize(text).Select(t => text.Substring(t.Start, t.Length)).ToList();

    private static bool WellFormed(string text, IReadOnlyList<TextSpan> spans)
    {
        var boundaries = WordDiff.Tokenize(text).Select(t => t.Start).Append(text.Length).ToHashSet();
        return spans.All(s => s.Length > 0 && s.Start >= 0 && s.End <= text.Length && boundaries.Contains(s.Start) && boundaries.Contains(s.End))
               && spans.Zip(spans.Skip(1)).All(p => p.First.End < p.Second.Start);
    }

    private static bool Whole(string text, IReadOnlyList<TextSpan> spans) =>
        text.Length == 0 ? spans.Count == 0 : spans.SequenceEqual([new TextSpan(0, text.Length)]);

    private static List<string> Unmarked(string text, IReadOnlyList<TextSpan> spans) =>
        WordDiff.Tokenize(text)
            .Where(t => !spans.Any(s => t.Start >= s.Start && t.End <= s.End))
            .Select(t => text.Substring(t.Start, t.Length))
            .ToList();
}
