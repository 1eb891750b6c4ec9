using DiffPlex;

namespace ReviewPortal.Domain.Diff;

/// <summary>
/// Decides which lines of a file diff are unchanged. Each region (at first the whole file) has its common prefix
/// and suffix stripped and is cut down as git's xdiff does (<see cref="DiffReduction"/>); if what is left is small
/// enough, DiffPlex's Myers diffs it, which gives a minimal script for it. Myers' cost grows with length times edit
/// distance (seconds for a rewritten 20,000-line file), so a larger region is first split at lines that occur
/// exactly once on each side and sit in a run of equal lines, keeping the longest chain of them in the same order
/// on both sides (as patience diff does), and each piece is handled the same way. A large region with no such line
/// is reported replaced, and so is every region once the file's Myers budget is spent: that bounds the time a diff
/// can take whatever the input, while ordinary edits (a few hunks, or many) never come near the bounds.
/// </summary>
internal sealed class LineMatcher
{
    /// <summary>The largest (old + new kept lines)^2 handed to Myers at once: a few milliseconds of work at worst.</summary>
    internal const long RegionLimit = 1_000L * 1_000;

    /// <summary>The sum of (old + new kept lines)^2 over one file's Myers calls: some 20 to 40 ms of work at worst on this machine.</summary>
    internal const long FileBudget = 4_000_000;

    /// <summary>Anchors sit in runs of at least this many equal lines.</summary>
    internal const int MinAnchorRun = 4;

    private const string OldSide = "old";
    private const string NewSide = "new";

    private readonly int[] a;
    private readonly int[] b;
    private readonly IReadOnlyList<string> oldLines;
    private readonly IReadOnlyList<string> newLines;
    private readonly bool[] oldChanged;
    private readonly bool[] newChanged;

    // Scratch per region, indexed by line id; back to zero after each region.
    private readonly int[] oldCounts;
    private readonly int[] newCounts;
    private readonly int[] newPosition;
    private long budget = FileBudget;

    private LineMatcher(int[] a, int[] b, IReadOnlyList<string> oldLines, IReadOnlyList<string> newLines, int idCount, bool[] oldChanged, bool[] newChanged)
    {
        this.a = a;
        this.b = b;
        this.oldLines = oldLines;
        this.newLines = newLines;
        this.oldChanged = oldChanged;
        this.newChanged = newChanged;
        oldCounts = new int[idCount];
        newCounts = new int[idCount];
        newPosition = new int[idCount];
    }

    /// <summary>Marks the changed lines: <c>changed[i + 1]</c> for line i, the sentinel entries left false.</summary>
    public static void Match(int[] a, int[] b, IReadOnlyList<string> oldLines, IReadOnlyList<string> newLines, int idCount, bool[] oldChanged, bool[] newChanged)
    {
        var matcher = new LineMatcher(a, b, oldLines, newLines, idCount, oldChanged, newChanged);
        var regions = new Stack<Region>();
        regions.Push(new Region(0, a.Length, 0, b.Length));
        while (regions.TryPop(out var region))
        {
            matcher.Diff(region, regions);
        }
    }

    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Auto)]
    private readonly record struct Region(int OldStart, int OldEnd, int NewStart, int NewEnd);

    private void Diff(Region region, Stack<Region> regions)
    {
        var (aLo, aHi, bLo, bHi) = region;
        while (aLo < aHi && bLo < bHi && a[aLo] == b[bLo])
        {
            aLo++;
            bLo++;
        }

        while (aHi > aLo && bHi > bLo && a[aHi - 1] == b[bHi - 1])
        {
            aHi--;
            bHi--;
        }

        // A parent region marked all of this region changed before splitting it: the prefix and suffix are not.
        Array.Fill(oldChanged, false, region.OldStart + 1, region.OldEnd - region.OldStart);
        Array.Fill(newChanged, false, region.NewStart + 1, region.NewEnd - region.NewStart);
        Array.Fill(oldChanged, true, aLo + 1, aHi - aLo);
        Array.Fill(newChanged, true, bLo + 1, bHi - bLo);
        if (aLo == aHi || bLo == bHi)
        {
            return;
        }

        for (var i = aLo; i < aHi; i++)
        {
            oldCounts[a[i]]++;
        }

        for (var j = bLo; j < bHi; j++)
        {
            newCounts[b[j]]++;
            newPosition[b[j]] = j;
        }

        // Lines without a match never cost a match; lines with very many are set aside only if Myers needs it.
        var keptOld = DiffReduction.Keep(a, aLo, aHi, newCounts, setAsideManyMatches: false);
        var keptNew = DiffReduction.Keep(b, bLo, bHi, oldCounts, setAsideManyMatches: false);
        if (!Affordable(keptOld, keptNew))
        {
            keptOld = DiffReduction.Keep(a, aLo, aHi, newCounts, setAsideManyMatches: true);
            keptNew = DiffReduction.Keep(b, bLo, bHi, oldCounts, setAsideManyMatches: true);
        }

        if (keptOld.Length == 0 || keptNew.Length == 0)
        {
            // Nothing left that could match: the region is replaced.
        }
        else if (Affordable(keptOld, keptNew))
        {
            budget -= Cost(keptOld, keptNew);
            Myers(keptOld, keptNew);
        }
        else
        {
            Split(new Region(aLo, aHi, bLo, bHi), keptOld, regions);
        }

        for (var i = aLo; i < aHi; i++)
        {
            oldCounts[a[i]] = 0;
        }

        for (var j = bLo; j < bHi; j++)
        {
            newCounts[b[j]] = 0;
        }
    }

    /// <summary>Myers' work is at most about (old + new lines) squared: the bound charged against the budget.</summary>
    private static long Cost(int[] keptOld, int[] keptNew)
    {
        var size = (long)keptOld.Length + keptNew.Length;
        return size * size;
    }

    private bool Affordable(int[] keptOld, int[] keptNew)
    {
        var cost = Cost(keptOld, keptNew);
        return cost <= RegionLimit && cost <= budget;
    }

    /// <summary>
    /// Splits the region at the lines occurring once on each side and sitting in a run of equal lines, keeping the
    /// longest chain of them whose order agrees on both sides (patience sorting); the lines of the chain are
    /// unchanged, the pieces between them are diffed in turn. Without such lines the region stays replaced.
    /// </summary>
    private void Split(Region region, int[] keptOld, Stack<Region> regions)
    {
        var oldAnchors = new List<int>();
        var newAnchors = new List<int>();
        foreach (var i in keptOld)
        {
            if (oldCounts[a[i]] == 1 && newCounts[a[i]] == 1 && InEqualRun(region, i, newPosition[a[i]]))
            {
                oldAnchors.Add(i);
                newAnchors.Add(newPosition[a[i]]);
            }
        }

        var chain = LongestIncreasingRun(newAnchors);
        var (oldFrom, newFrom) = (region.OldStart, region.NewStart);
        foreach (var k in chain)
        {
            var (i, j) = (oldAnchors[k], newAnchors[k]);
            oldChanged[i + 1] = false;
            newChanged[j + 1] = false;
            regions.Push(new Region(oldFrom, i, newFrom, j));
            (oldFrom, newFrom) = (i + 1, j + 1);
        }

        if (chain.Count > 0)
        {
            regions.Push(new Region(oldFrom, region.OldEnd, newFrom, region.NewEnd));
        }
    }

    /// <summary>
    /// Whether old line <paramref name="i"/> and new line <paramref name="j"/> lie in a run of at least
    /// <see cref="MinAnchorRun"/> equal lines. A line that happens to occur once on each side of an otherwise
    /// rewritten region is no evidence of alignment, and anchoring on it would tear the region apart far from
    /// where its lines correspond.
    /// </summary>
    private bool InEqualRun(Region region, int i, int j)
    {
        var run = 1;
        for (var k = 1; run < MinAnchorRun && i - k >= region.OldStart && j - k >= region.NewStart && a[i - k] == b[j - k]; k++)
        {
            run++;
        }

        for (var k = 1; run < MinAnchorRun && i + k < region.OldEnd && j + k < region.NewEnd && a[i + k] == b[j + k]; k++)
        {
            run++;
        }

        return run >= MinAnchorRun;
    }

    /// <summary>Indexes of a longest strictly increasing subsequence of <paramref name="values"/>, in order.</summary>
    private static List<int> LongestIncreasingRun(List<int> values)
    {
        var tails = new List<int>();
        var previous = new int[values.Count];
        for (var k = 0; k < values.Count; k++)
        {
            int lo = 0, hi = tails.Count;
            while (lo < hi)
            {
                var mid = (lo + hi) >> 1;
                if (values[tails[mid]] < values[k])
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid;
                }
            }

            previous[k] = lo > 0 ? tails[lo - 1] : -1;
            if (lo == tails.Count)
            {
                tails.Add(k);
            }
            else
            {
                tails[lo] = k;
            }
        }

        var chain = new List<int>(tails.Count);
        for (var k = tails.Count > 0 ? tails[^1] : -1; k >= 0; k = previous[k])
        {
            chain.Add(k);
        }

        chain.Reverse();
        return chain;
    }

    /// <summary>
    /// DiffPlex's Myers over the kept lines; lines it matches are unmarked. Its custom-chunker entry point takes the
    /// pieces from a function of the text, so the two texts passed are side markers and the function hands back the
    /// kept lines of that side.
    /// </summary>
    private void Myers(int[] keptOld, int[] keptNew)
    {
        var oldPieces = Array.ConvertAll(keptOld, i => oldLines[i]);
        var newPieces = Array.ConvertAll(keptNew, j => newLines[j]);
        var result = new Differ().CreateCustomDiffs(OldSide, NewSide, ignoreWhiteSpace: false, side => ReferenceEquals(side, OldSide) ? oldPieces : newPieces);
        var oldMatched = new bool[keptOld.Length];
        var newMatched = new bool[keptNew.Length];
        Array.Fill(oldMatched, true);
        Array.Fill(newMatched, true);
        foreach (var block in result.DiffBlocks)
        {
            Array.Fill(oldMatched, false, block.DeleteStartA, block.DeleteCountA);
            Array.Fill(newMatched, false, block.InsertStartB, block.InsertCountB);
        }

        Unmark(keptOld, oldMatched, oldChanged);
        Unmark(keptNew, newMatched, newChanged);
    }

    private static void Unmark(int[] kept, bool[] matched, bool[] changed)
    {
        for (var k = 0; k < kept.Length; k++)
        {
            if (matched[k])
            {
                changed[kept[k] + 1] = false;
            }
        }
    }
}
