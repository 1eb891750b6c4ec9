namespace ReviewPortal.Domain.Diff;

public enum DiffRowKind
{
    /// <summary>An unchanged line, shown for context.</summary>
    Context,
    Deleted,
    Inserted,

    /// <summary>Side by side only: a deleted line beside the inserted line that replaced it.</summary>
    Modified,

    /// <summary>Unchanged lines left out; the viewer offers to expand them.</summary>
    Gap,
}

/// <summary>Unchanged lines a view leaves out: <see cref="OldStart"/> (0-based) identifies it for expansion.</summary>
public sealed record DiffGap(int OldStart, int NewStart, int Count);

/// <summary>
/// One row of a diff view. <see cref="OldLine"/>/<see cref="NewLine"/> are 0-based indexes into the file's lines
/// (null where the row has no line on that side); the changed spans mark word-level edits of a modified line.
/// <see cref="Hunk"/> numbers the hunks from 0, so the viewer can jump from hunk to hunk.
/// </summary>
public sealed record DiffRow(
    DiffRowKind Kind,
    int? OldLine,
    int? NewLine,
    int Hunk,
    IReadOnlyList<TextSpan>? OldChanged = null,
    IReadOnlyList<TextSpan>? NewChanged = null,
    DiffGap? Gap = null);

/// <summary>A run of characters inside a line; <see cref="Changed"/> marks the word-level edits of a modified line.</summary>
public sealed record DiffSegment(string Text, bool Changed);

/// <summary>Lays a stored <see cref="FileDiff"/> out as rows, side by side or unified, with collapsible context.</summary>
public static class DiffLayout
{
    public static IReadOnlyList<DiffRow> SideBySide(FileDiff diff, int context = DiffHunk.DefaultContext, IReadOnlySet<int>? expandedGaps = null) =>
        Layout(diff, context, expandedGaps, sideBySide: true);

    public static IReadOnlyList<DiffRow> Unified(FileDiff diff, int context = DiffHunk.DefaultContext, IReadOnlySet<int>? expandedGaps = null) =>
        Layout(diff, context, expandedGaps, sideBySide: false);

    private static List<DiffRow> Layout(FileDiff diff, int context, IReadOnlySet<int>? expandedGaps, bool sideBySide)
    {
        ArgumentNullException.ThrowIfNull(diff);
        ArgumentOutOfRangeException.ThrowIfNegative(context);
        var rows = new List<DiffRow>();
        var pairs = new PairCursor(diff.ModifiedLines);
        var hunk = 0;
        var edits = diff.Edits;
        for (var i = 0; i < edits.Count; i++)
        {
            var edit = edits[i];
            switch (edit.Kind)
            {
                case EditKind.Equal:
                    var atStart = i == 0;
                    var atEnd = i == edits.Count - 1;
                    var keepBefore = atStart ? 0 : Math.Min(context, edit.Count);
                    var keepAfter = atEnd ? 0 : Math.Min(context, edit.Count);
                    if (expandedGaps?.Contains(edit.OldStart + keepBefore) == true || edit.Count <= (long)keepBefore + keepAfter)
                    {
                        AddContext(rows, edit.OldStart, edit.NewStart, edit.Count, hunk);
                        break;
                    }

                    AddContext(rows, edit.OldStart, edit.NewStart, keepBefore, hunk);
                    rows.Add(new DiffRow(DiffRowKind.Gap, null, null, hunk, Gap: new DiffGap(edit.OldStart + keepBefore, edit.NewStart + keepBefore, edit.Count - keepBefore - keepAfter)));
                    if (rows.Count > 1 || !atStart)
                    {
                        hunk++;
                    }

                    AddContext(rows, edit.OldStart + edit.Count - keepAfter, edit.NewStart + edit.Count - keepAfter, keepAfter, hunk);
                    break;
                case EditKind.Delete when i + 1 < edits.Count && edits[i + 1].Kind == EditKind.Insert:
                    AddBlock(rows, edit, edits[i + 1], hunk, pairs, sideBySide);
                    i++;
                    break;
                case EditKind.Delete:
                    for (var k = 0; k < edit.Count; k++)
                    {
                        rows.Add(new DiffRow(DiffRowKind.Deleted, edit.OldStart + k, null, hunk));
                    }

                    break;
                case EditKind.Insert:
                    for (var k = 0; k < edit.Count; k++)
                    {
                        rows.Add(new DiffRow(DiffRowKind.Inserted, null, edit.NewStart + k, hunk));
                    }

                    break;
            }
        }

        return rows;
    }

    private static void AddContext(List<DiffRow> rows, int oldStart, int newStart, int count, int hunk)
    {
        for (var k = 0; k < count; k++)
        {
            rows.Add(new DiffRow(DiffRowKind.Context, oldStart + k, newStart + k, hunk));
        }
    }

    /// <summary>
    /// A block of deleted lines replaced by inserted ones. Unified: the deleted lines, then the inserted ones, each
    /// with its word-level changes. Side by side: each modified pair on one row; the lines between pairs (replaced
    /// rather than modified) side by side in order, without word-level changes, and the surplus on one side alone.
    /// </summary>
    private static void AddBlock(List<DiffRow> rows, Edit deleted, Edit inserted, int hunk, PairCursor pairs, bool sideBySide)
    {
        var blockPairs = pairs.Take(deleted, inserted);
        if (!sideBySide)
        {
            var p = 0;
            for (var k = 0; k < deleted.Count; k++)
            {
                var line = deleted.OldStart + k;
                var pair = p < blockPairs.Count && blockPairs[p].OldLine == line ? blockPairs[p++] : null;
                rows.Add(new DiffRow(DiffRowKind.Deleted, line, null, hunk, OldChanged: pair?.OldChanged));
            }

            p = 0;
            for (var k = 0; k < inserted.Count; k++)
            {
                var line = inserted.NewStart + k;
                var pair = p < blockPairs.Count && blockPairs[p].NewLine == line ? blockPairs[p++] : null;
                rows.Add(new DiffRow(DiffRowKind.Inserted, null, line, hunk, NewChanged: pair?.NewChanged));
            }

            return;
        }

        var oldLine = deleted.OldStart;
        var newLine = inserted.NewStart;
        foreach (var pair in blockPairs)
        {
            AddReplaced(rows, oldLine, pair.OldLine, newLine, pair.NewLine, hunk);
            rows.Add(new DiffRow(DiffRowKind.Modified, pair.OldLine, pair.NewLine, hunk, pair.OldChanged, pair.NewChanged));
            (oldLine, newLine) = (pair.OldLine + 1, pair.NewLine + 1);
        }

        AddReplaced(rows, oldLine, deleted.OldStart + deleted.Count, newLine, inserted.NewStart + inserted.Count, hunk);
    }

    private static void AddReplaced(List<DiffRow> rows, int oldFrom, int oldTo, int newFrom, int newTo, int hunk)
    {
        for (var k = 0; k < Math.Max(oldTo - oldFrom, newTo - newFrom); k++)
        {
            int? oldLine = oldFrom + k < oldTo ? oldFrom + k : null;
            int? newLine = newFrom + k < newTo ? newFrom + k : null;
            var kind = oldLine is null ? DiffRowKind.Inserted : newLine is null ? DiffRowKind.Deleted : DiffRowKind.Modified;
            rows.Add(new DiffRow(kind, oldLine, newLine, hunk));
        }
    }

    /// <summary>
    /// Walks the modified pairs (in file order) alongside the blocks; a pair that does not fit its block (only a
    /// hand-built diff can have one) is skipped rather than shown twice or out of order.
    /// </summary>
    private sealed class PairCursor(IReadOnlyList<ModifiedLine> pairs)
    {
        private int next;

        public List<ModifiedLine> Take(Edit deleted, Edit inserted)
        {
            var taken = new List<ModifiedLine>();
            int oldFrom = deleted.OldStart, newFrom = inserted.NewStart;
            while (next < pairs.Count && pairs[next].OldLine < deleted.OldStart + deleted.Count)
            {
                var pair = pairs[next++];
                if (pair.OldLine >= oldFrom && pair.NewLine >= newFrom && pair.NewLine < inserted.NewStart + inserted.Count)
                {
                    taken.Add(pair);
                    (oldFrom, newFrom) = (pair.OldLine + 1, pair.NewLine + 1);
                }
            }

            return taken;
        }
    }

    /// <summary>Splits a line into plain and changed segments for rendering; the spans come from a <see cref="DiffRow"/>.</summary>
    public static IReadOnlyList<DiffSegment> Segments(string line, IReadOnlyList<TextSpan>? changed)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (changed is not { Count: > 0 })
        {
            return [new DiffSegment(line, Changed: false)];
        }

        var segments = new List<DiffSegment>();
        var position = 0;
        foreach (var span in changed)
        {
            var start = Math.Clamp(span.Start, position, line.Length);
            var end = Math.Clamp(span.End, start, line.Length);
            if (start > position)
            {
                segments.Add(new DiffSegment(line[position..start], Changed: false));
            }

            if (end > start)
            {
                segments.Add(new DiffSegment(line[start..end], Changed: true));
            }

            position = end;
        }

        if (position < line.Length)
        {
            segments.Add(new DiffSegment(line[position..], Changed: false));
        }

        return segments;
    }
}
