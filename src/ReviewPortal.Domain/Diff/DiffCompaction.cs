namespace ReviewPortal.Domain.Diff;

/// <summary>
/// Moves ambiguous changes to where a reader expects them, as git does after diffing (xdl_change_compact and its
/// indent heuristic in xdiffi.c). A run of inserted lines can often slide up or down over equal lines with the
/// same result; this slides each run as far as it goes, merges runs that touch, lines a run up with a change on
/// the other side when it can, and otherwise picks the position whose boundaries fall at blank lines and outer
/// indentation, so that an inserted method reads "blank, method" rather than "}, blank, method {".
/// Only which lines are marked changed moves; the number of changed lines on each side stays the same.
/// </summary>
internal static class DiffCompaction
{
    private const int MaxIndent = 200;
    private const int MaxBlanks = 20;
    private const int MaxSliding = 100;

    // The weights of git's indent heuristic, tuned there against a corpus of human-written diffs.
    private const int StartOfFilePenalty = 1;
    private const int EndOfFilePenalty = 21;
    private const int TotalBlankWeight = -30;
    private const int PostBlankWeight = 6;
    private const int RelativeIndentPenalty = -4;
    private const int RelativeIndentWithBlankPenalty = 10;
    private const int RelativeOutdentPenalty = 24;
    private const int RelativeOutdentWithBlankPenalty = 17;
    private const int RelativeDedentPenalty = 23;
    private const int RelativeDedentWithBlankPenalty = 17;
    private const int IndentWeight = 60;

    /// <summary>
    /// One side of the diff: its line ids (equal lines, equal ids), texts (for indentation) and changed marks.
    /// <c>changed[i + 1]</c> marks line i; the first and last entries stay false, so scans stop at the ends.
    /// </summary>
    internal sealed class Side(int[] ids, IReadOnlyList<string> lines, bool[] changed)
    {
        public int Count => ids.Length;

        public bool IsChanged(int line) => changed[line + 1];

        public void Mark(int line, bool value) => changed[line + 1] = value;

        public bool SameLine(int a, int b) => ids[a] == ids[b];

        public string Text(int line) => lines[line];

        public bool[] Snapshot() => (bool[])changed.Clone();

        public void Restore(bool[] snapshot) => Array.Copy(snapshot, changed, changed.Length);
    }

    /// <summary>A run of changed lines [Start, End); empty (Start == End) where the other side has the change.</summary>
    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Auto)]
    private struct Group
    {
        public int Start;
        public int End;

        public readonly bool IsEmpty => Start == End;
    }

    /// <summary>Compacts both sides; if the two sides ever disagree (a bug, not an input problem), the marks are left as they were.</summary>
    public static void Compact(Side old, Side @new)
    {
        var oldSnapshot = old.Snapshot();
        var newSnapshot = @new.Snapshot();
        if (!CompactSide(old, @new) || !CompactSide(@new, old))
        {
            old.Restore(oldSnapshot);
            @new.Restore(newSnapshot);
        }
    }

    private static bool CompactSide(Side side, Side other)
    {
        var g = First(side);
        var go = First(other);
        while (true)
        {
            if (!g.IsEmpty)
            {
                int size;
                int earliestEnd;
                int endMatchingOther;
                do
                {
                    size = g.End - g.Start;
                    endMatchingOther = -1;
                    while (SlideUp(side, ref g))
                    {
                        if (!Previous(other, ref go))
                        {
                            return false;
                        }
                    }

                    earliestEnd = g.End;
                    if (!go.IsEmpty)
                    {
                        endMatchingOther = g.End;
                    }

                    while (SlideDown(side, ref g))
                    {
                        if (!Next(other, ref go))
                        {
                            return false;
                        }

                        if (!go.IsEmpty)
                        {
                            endMatchingOther = g.End;
                        }
                    }
                }
                while (size != g.End - g.Start);

                // The group now sits as low as it can go; choose how far back up to move it.
                // -1: back up to the nearest position where the other side has a change to line up with.
                var target = g.End == earliestEnd ? g.End : endMatchingOther != -1 ? -1 : BestShift(side, earliestEnd, g.End, size);
                while (target == -1 ? go.IsEmpty : g.End > target)
                {
                    if (!SlideUp(side, ref g) || !Previous(other, ref go))
                    {
                        return false;
                    }
                }
            }

            if (!Next(side, ref g))
            {
                return true;
            }

            if (!Next(other, ref go))
            {
                return false;
            }
        }
    }

    private static Group First(Side side)
    {
        var g = default(Group);
        while (side.IsChanged(g.End))
        {
            g.End++;
        }

        return g;
    }

    private static bool Next(Side side, ref Group g)
    {
        if (g.End == side.Count)
        {
            return false;
        }

        g.Start = g.End + 1;
        g.End = g.Start;
        while (side.IsChanged(g.End))
        {
            g.End++;
        }

        return true;
    }

    private static bool Previous(Side side, ref Group g)
    {
        if (g.Start == 0)
        {
            return false;
        }

        g.End = g.Start - 1;
        g.Start = g.End;
        while (side.IsChanged(g.Start - 1))
        {
            g.Start--;
        }

        return true;
    }

    /// <summary>Moves the group one line down when the line after it equals its first line, joining a group below.</summary>
    private static bool SlideDown(Side side, ref Group g)
    {
        if (g.End >= side.Count || !side.SameLine(g.Start, g.End))
        {
            return false;
        }

        side.Mark(g.Start++, false);
        side.Mark(g.End++, true);
        while (side.IsChanged(g.End))
        {
            g.End++;
        }

        return true;
    }

    /// <summary>Moves the group one line up when the line before it equals its last line, joining a group above.</summary>
    private static bool SlideUp(Side side, ref Group g)
    {
        if (g.Start <= 0 || !side.SameLine(g.Start - 1, g.End - 1))
        {
            return false;
        }

        side.Mark(--g.Start, true);
        side.Mark(--g.End, false);
        while (side.IsChanged(g.Start - 1))
        {
            g.Start--;
        }

        return true;
    }

    /// <summary>The group end between <paramref name="earliestEnd"/> and <paramref name="end"/> with the best-looking boundaries.</summary>
    private static int BestShift(Side side, int earliestEnd, int end, int size)
    {
        var shift = Math.Max(earliestEnd, Math.Max(end - size - 1, end - MaxSliding));
        var best = -1;
        var bestScore = default(SplitScore);
        for (; shift <= end; shift++)
        {
            var score = Score(side, shift) + Score(side, shift - size);
            if (best == -1 || score.Badness(bestScore) <= 0)
            {
                bestScore = score;
                best = shift;
            }
        }

        return best;
    }

    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Auto)]
    private readonly record struct SplitScore(int EffectiveIndent, int Penalty)
    {
        public static SplitScore operator +(SplitScore a, SplitScore b) => new(a.EffectiveIndent + b.EffectiveIndent, a.Penalty + b.Penalty);

        /// <summary>Negative when this split looks better than <paramref name="other"/>; indentation weighs most.</summary>
        public int Badness(SplitScore other) =>
            (IndentWeight * EffectiveIndent.CompareTo(other.EffectiveIndent)) + (Penalty - other.Penalty);
    }

    /// <summary>How bad a boundary between line <paramref name="split"/> - 1 and line <paramref name="split"/> looks.</summary>
    private static SplitScore Score(Side side, int split)
    {
        var endOfFile = split >= side.Count;
        var indent = endOfFile ? -1 : Indent(side.Text(split));

        var preBlank = 0;
        var preIndent = -1;
        for (var i = split - 1; i >= 0; i--)
        {
            preIndent = Indent(side.Text(i));
            if (preIndent != -1)
            {
                break;
            }

            if (++preBlank == MaxBlanks)
            {
                preIndent = 0;
                break;
            }
        }

        var postBlank = 0;
        var postIndent = -1;
        for (var i = split + 1; i < side.Count; i++)
        {
            postIndent = Indent(side.Text(i));
            if (postIndent != -1)
            {
                break;
            }

            if (++postBlank == MaxBlanks)
            {
                postIndent = 0;
                break;
            }
        }

        var penalty = 0;
        if (preIndent == -1 && preBlank == 0)
        {
            penalty += StartOfFilePenalty;
        }

        if (endOfFile)
        {
            penalty += EndOfFilePenalty;
        }

        var blankAfter = indent == -1 ? 1 + postBlank : 0;
        var totalBlank = preBlank + blankAfter;
        penalty += (TotalBlankWeight * totalBlank) + (PostBlankWeight * blankAfter);
        var effective = indent != -1 ? indent : postIndent;
        var anyBlanks = totalBlank != 0;
        if (effective != -1 && preIndent != -1)
        {
            if (effective > preIndent)
            {
                penalty += anyBlanks ? RelativeIndentWithBlankPenalty : RelativeIndentPenalty;
            }
            else if (effective < preIndent)
            {
                penalty += postIndent != -1 && postIndent > effective
                    ? (anyBlanks ? RelativeOutdentWithBlankPenalty : RelativeOutdentPenalty)
                    : (anyBlanks ? RelativeDedentWithBlankPenalty : RelativeDedentPenalty);
            }
        }

        return new SplitScore(effective, penalty);
    }

    /// <summary>Columns of leading indentation (tabs to the next multiple of 8); -1 for a blank line.</summary>
    private static int Indent(string line)
    {
        var indent = 0;
        foreach (var c in line)
        {
            if (!char.IsWhiteSpace(c))
            {
                return indent;
            }

            if (c == ' ')
            {
                indent++;
            }
            else if (c == '\t')
            {
                indent += 8 - (indent % 8);
            }

            if (indent >= MaxIndent)
            {
                return MaxIndent;
            }
        }

        return -1;
    }
}
