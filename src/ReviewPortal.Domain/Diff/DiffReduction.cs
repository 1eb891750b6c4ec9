namespace ReviewPortal.Domain.Diff;

/// <summary>
/// Cuts a line diff problem down before the real diff runs, as git's xdiff does (xdl_cleanup_records in
/// xprepare.c): a line with no equal line on the other side can never match, so it is set aside as changed; a
/// line with very many equal lines on the other side (blank lines, braces, <c>return result;</c>) is set aside too
/// when it sits in a run of such unmatched lines, since matching it there would only produce confetti. What is left
/// is usually a small fraction of a rewritten file, so the quadratic worst case of Myers never comes up.
/// </summary>
internal static class DiffReduction
{
    /// <summary>Upper bound of the "very many matches" limit (XDL_MAX_EQLIMIT).</summary>
    private const int MaxManyMatchesLimit = 1024;

    /// <summary>How far around a many-matches line the run of unmatched lines is looked for (XDL_SIMSCAN_WINDOW).</summary>
    private const int ScanWindow = 100;

    /// <summary>A many-matches line is set aside when such lines are under a quarter of its run (XDL_KPDIS_RUN).</summary>
    private const int KeepRunRatio = 4;

    private const byte NoMatch = 0;
    private const byte Matches = 1;
    private const byte ManyMatches = 2;

    /// <summary>
    /// The positions in <paramref name="ids"/>[<paramref name="start"/>..<paramref name="end"/>) worth diffing;
    /// <paramref name="otherCounts"/> counts each line id in the other side's range. Setting aside unmatched lines
    /// never costs a match; setting aside many-matches lines can, so it is asked for only where speed needs it.
    /// </summary>
    public static int[] Keep(int[] ids, int start, int end, int[] otherCounts, bool setAsideManyMatches)
    {
        var length = end - start;
        var limit = setAsideManyMatches ? ManyMatchesLimit(length) : int.MaxValue;
        var kinds = new byte[length];
        for (var i = 0; i < length; i++)
        {
            var matches = otherCounts[ids[start + i]];
            kinds[i] = matches == 0 ? NoMatch : matches >= limit ? ManyMatches : Matches;
        }

        var kept = new List<int>(length);
        for (var i = 0; i < length; i++)
        {
            if (kinds[i] == Matches || (kinds[i] == ManyMatches && !InRunOfUnmatched(kinds, i)))
            {
                kept.Add(start + i);
            }
        }

        return [.. kept];
    }

    /// <summary>About the square root of the side's line count, as xdl_bogosqrt computes it, capped.</summary>
    internal static int ManyMatchesLimit(int sideLength)
    {
        var limit = 1;
        for (var n = sideLength; n > 0; n >>= 2)
        {
            limit <<= 1;
        }

        return Math.Min(limit, MaxManyMatchesLimit);
    }

    /// <summary>
    /// Whether the many-matches line at <paramref name="i"/> sits among unmatched lines: the runs of unmatched and
    /// many-matches lines just before and just after it both contain unmatched lines, and many-matches lines are
    /// few in them. A line with an ordinary match ends a run.
    /// </summary>
    private static bool InRunOfUnmatched(byte[] kinds, int i)
    {
        var first = Math.Max(0, i - ScanWindow);
        var last = Math.Min(kinds.Length - 1, i + ScanWindow);
        var (unmatchedBefore, manyBefore) = CountRun(kinds, i, first, -1);
        if (unmatchedBefore == 0)
        {
            return false;
        }

        var (unmatchedAfter, manyAfter) = CountRun(kinds, i, last, +1);
        if (unmatchedAfter == 0)
        {
            return false;
        }

        // Both counts include the line itself, as xdiff's do.
        var many = manyBefore + manyAfter + 2;
        var unmatched = unmatchedBefore + unmatchedAfter;
        return many * KeepRunRatio < many + unmatched;
    }

    private static (int Unmatched, int Many) CountRun(byte[] kinds, int i, int limit, int step)
    {
        var unmatched = 0;
        var many = 0;
        for (var j = i + step; step < 0 ? j >= limit : j <= limit; j += step)
        {
            if (kinds[j] == NoMatch)
            {
                unmatched++;
            }
            else if (kinds[j] == ManyMatches)
            {
                many++;
            }
            else
            {
                break;
            }
        }

        return (unmatched, many);
    }
}
