using System.Text.Json;
using System.Text.Json.Serialization;

namespace ReviewPortal.Domain.Diff;

/// <summary>A run of characters inside one line: <see cref="Start"/> is a 0-based character offset.</summary>
[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Auto)]
public readonly record struct TextSpan(int Start, int Length)
{
    public int End => Start + Length;
}

/// <summary>
/// A deleted line and an inserted line that the viewer shows side by side as one modified line, with the
/// word-level spans that differ on each side. Line numbers are 0-based indexes into the old and new lines.
/// </summary>
public sealed record ModifiedLine(int OldLine, int NewLine, IReadOnlyList<TextSpan> OldChanged, IReadOnlyList<TextSpan> NewChanged);

/// <summary>
/// The diff of one file as computed once per revision and stored: the line edit script, the pairs of
/// deleted and inserted lines shown as modified with their word-level changes, and the stats. The line texts are
/// not part of it: the viewer takes them from the file's contents (<see cref="DiffText.SplitLines"/>).
/// </summary>
public sealed class FileDiff
{
    public const int FormatVersion = 1;

    public FileDiff(int oldLineCount, int newLineCount, IReadOnlyList<Edit> edits, IReadOnlyList<ModifiedLine> modifiedLines)
    {
        ArgumentNullException.ThrowIfNull(edits);
        ArgumentNullException.ThrowIfNull(modifiedLines);
        OldLineCount = oldLineCount;
        NewLineCount = newLineCount;
        Edits = edits;
        ModifiedLines = modifiedLines;
        Additions = edits.Where(e => e.Kind == EditKind.Insert).Sum(e => e.Count);
        Deletions = edits.Where(e => e.Kind == EditKind.Delete).Sum(e => e.Count);
    }

    public int OldLineCount { get; }

    public int NewLineCount { get; }

    /// <summary>Equal, Delete and Insert runs in file order; applying them to the old lines gives the new lines.</summary>
    public IReadOnlyList<Edit> Edits { get; }

    /// <summary>Deleted/inserted line pairs with word-level changes, in file order.</summary>
    public IReadOnlyList<ModifiedLine> ModifiedLines { get; }

    public int Additions { get; }

    public int Deletions { get; }

    public bool IsEmpty => Additions == 0 && Deletions == 0;

    /// <summary>Diffs two file contents; a null side is a file that does not exist (added or deleted).</summary>
    public static FileDiff Compute(string? oldContent, string? newContent) =>
        Compute(DiffText.SplitLines(oldContent), DiffText.SplitLines(newContent));

    public static FileDiff Compute(IReadOnlyList<string> oldLines, IReadOnlyList<string> newLines)
    {
        ArgumentNullException.ThrowIfNull(oldLines);
        ArgumentNullException.ThrowIfNull(newLines);
        var edits = LineDiffEngine.Diff(oldLines, newLines);
        return new FileDiff(oldLines.Count, newLines.Count, edits, WordDiff.PairModifiedLines(oldLines, newLines, edits));
    }

    /// <summary>The changed regions with <paramref name="context"/> unchanged lines around each, as in a unified diff.</summary>
    public IReadOnlyList<DiffHunk> Hunks(int context = DiffHunk.DefaultContext) => DiffHunk.From(this, context);

    public string Serialize() => JsonSerializer.Serialize(StoredFileDiff.From(this), StoredJson.Options);

    /// <summary>Reads what <see cref="Serialize"/> wrote; throws <see cref="FormatException"/> for anything else.</summary>
    public static FileDiff Deserialize(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        StoredFileDiff? stored;
        try
        {
            stored = JsonSerializer.Deserialize<StoredFileDiff>(json, StoredJson.Options);
        }
        catch (JsonException ex)
        {
            throw new FormatException("The stored diff is not valid JSON.", ex);
        }
        catch (ArgumentException ex)
        {
            // Text that cannot even be read as JSON, such as a lone UTF-16 surrogate.
            throw new FormatException("The stored diff is not valid text.", ex);
        }

        return stored?.ToFileDiff() ?? throw new FormatException("The stored diff is empty.");
    }

    /// <summary>
    /// The compact stored form: edits as flat [kind, oldStart, newStart, count] quadruples and modified lines as
    /// [oldLine, newLine, oldSpanCount, newSpanCount, start, length, ...], so a large diff stays small in the database.
    /// </summary>
    private sealed record StoredFileDiff(
        [property: JsonPropertyName("v")] int Version,
        [property: JsonPropertyName("o")] int OldLineCount,
        [property: JsonPropertyName("n")] int NewLineCount,
        [property: JsonPropertyName("e")] int[] Edits,
        [property: JsonPropertyName("m")] int[][] ModifiedLines)
    {
        public static StoredFileDiff From(FileDiff diff) => new(
            FormatVersion,
            diff.OldLineCount,
            diff.NewLineCount,
            diff.Edits.SelectMany(e => new[] { (int)e.Kind, e.OldStart, e.NewStart, e.Count }).ToArray(),
            diff.ModifiedLines.Select(m => new[] { m.OldLine, m.NewLine, m.OldChanged.Count, m.NewChanged.Count }
                .Concat(m.OldChanged.Concat(m.NewChanged).SelectMany(s => new[] { s.Start, s.Length })).ToArray()).ToArray());

        /// <summary>
        /// Checks everything a reader relies on, so that a diff read back is one the layout can show: edits that
        /// run contiguously over both files, pairs inside their block and in order, spans in order and not empty.
        /// </summary>
        public FileDiff ToFileDiff()
        {
            if (Version != FormatVersion)
            {
                throw new FormatException($"The stored diff has format version {Version}; expected {FormatVersion}.");
            }

            if (Edits is null || ModifiedLines is null || Edits.Length % 4 != 0 || OldLineCount < 0 || NewLineCount < 0)
            {
                throw new FormatException("The stored diff is malformed: line counts or edit list.");
            }

            var edits = ReadEdits();
            return new FileDiff(OldLineCount, NewLineCount, edits, ReadModifiedLines(edits));
        }

        private Edit[] ReadEdits()
        {
            var edits = new Edit[Edits.Length / 4];
            long oldPosition = 0;
            long newPosition = 0;
            for (var i = 0; i < edits.Length; i++)
            {
                var kind = (EditKind)Edits[4 * i];
                var (oldStart, newStart, count) = (Edits[(4 * i) + 1], Edits[(4 * i) + 2], Edits[(4 * i) + 3]);
                if (!Enum.IsDefined(kind) || count <= 0 || oldStart != oldPosition || newStart != newPosition)
                {
                    throw new FormatException($"Stored edit {i} is malformed or does not follow the previous one.");
                }

                oldPosition += kind == EditKind.Insert ? 0 : count;
                newPosition += kind == EditKind.Delete ? 0 : count;
                edits[i] = new Edit(kind, oldStart, newStart, count);
            }

            if (oldPosition != OldLineCount || newPosition != NewLineCount)
            {
                throw new FormatException("The stored edits do not cover both files.");
            }

            return edits;
        }

        private ModifiedLine[] ReadModifiedLines(Edit[] edits)
        {
            var lines = new ModifiedLine[ModifiedLines.Length];
            var block = 0;
            var (previousOld, previousNew) = (-1, -1);
            for (var i = 0; i < lines.Length; i++)
            {
                var m = ModifiedLines[i];
                if (m is null || m.Length < 4 || m[2] < 0 || m[3] < 0 || m.Length != 4 + (2 * ((long)m[2] + m[3])))
                {
                    throw new FormatException($"Stored modified line {i} is malformed.");
                }

                var (oldLine, newLine) = (m[0], m[1]);
                while (block + 1 < edits.Length
                       && !(edits[block].Kind == EditKind.Delete && edits[block + 1].Kind == EditKind.Insert
                            && oldLine < edits[block].OldStart + (long)edits[block].Count))
                {
                    block++;
                }

                if (block + 1 >= edits.Length || oldLine <= previousOld || newLine <= previousNew
                    || oldLine < edits[block].OldStart || newLine < edits[block + 1].NewStart
                    || newLine >= edits[block + 1].NewStart + (long)edits[block + 1].Count)
                {
                    throw new FormatException($"Stored modified line {i} is not a deleted and an inserted line of one block, in order.");
                }

                (previousOld, previousNew) = (oldLine, newLine);
                lines[i] = new ModifiedLine(oldLine, newLine, ReadSpans(m, 4, m[2], i), ReadSpans(m, 4 + (2 * m[2]), m[3], i));
            }

            return lines;
        }

        private static TextSpan[] ReadSpans(int[] m, int offset, int count, int line)
        {
            var spans = new TextSpan[count];
            long end = 0;
            for (var k = 0; k < count; k++)
            {
                var (start, length) = (m[offset + (2 * k)], m[offset + (2 * k) + 1]);
                if (start < end || length <= 0 || start + (long)length > int.MaxValue)
                {
                    throw new FormatException($"Stored modified line {line} has a malformed word span.");
                }

                spans[k] = new TextSpan(start, length);
                end = start + (long)length;
            }

            return spans;
        }
    }

    private static class StoredJson
    {
        public static readonly JsonSerializerOptions Options = new() { MaxDepth = 8 };
    }
}

/// <summary>A changed region of a file with its surrounding context; <see cref="OldStart"/>/<see cref="NewStart"/> are 0-based.</summary>
public sealed record DiffHunk(int OldStart, int OldCount, int NewStart, int NewCount, IReadOnlyList<Edit> Edits)
{
    public const int DefaultContext = 3;

    /// <summary>The unified-diff header, with 1-based line numbers as git prints them.</summary>
    public string Header => $"@@ -{OldStart + (OldCount == 0 ? 0 : 1)},{OldCount} +{NewStart + (NewCount == 0 ? 0 : 1)},{NewCount} @@";

    internal static List<DiffHunk> From(FileDiff diff, int context)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(context);
        var hunks = new List<DiffHunk>();
        var edits = diff.Edits;
        var i = 0;
        while (i < edits.Count)
        {
            if (edits[i].Kind == EditKind.Equal)
            {
                i++;
                continue;
            }

            // A hunk: leading context, then changes, joined across equal runs short enough to keep as context.
            var first = i;
            var last = i;
            while (last + 1 < edits.Count)
            {
                var next = edits[last + 1];
                if (next.Kind != EditKind.Equal)
                {
                    last++;
                }
                else if (last + 2 < edits.Count && next.Count <= 2 * context)
                {
                    last += 2;
                }
                else
                {
                    break;
                }
            }

            var hunkEdits = new List<Edit>();
            if (first > 0 && edits[first - 1] is { Kind: EditKind.Equal } before && context > 0)
            {
                var take = Math.Min(context, before.Count);
                hunkEdits.Add(new Edit(EditKind.Equal, before.OldStart + before.Count - take, before.NewStart + before.Count - take, take));
            }

            for (var k = first; k <= last; k++)
            {
                hunkEdits.Add(edits[k]);
            }

            if (last + 1 < edits.Count && edits[last + 1] is { Kind: EditKind.Equal } after && context > 0)
            {
                hunkEdits.Add(after with { Count = Math.Min(context, after.Count) });
            }

            var oldStart = hunkEdits[0].OldStart;
            var newStart = hunkEdits[0].NewStart;
            var oldCount = hunkEdits.Where(e => e.Kind != EditKind.Insert).Sum(e => e.Count);
            var newCount = hunkEdits.Where(e => e.Kind != EditKind.Delete).Sum(e => e.Count);
            hunks.Add(new DiffHunk(oldStart, oldCount, newStart, newCount, hunkEdits));
            i = last + 1;
        }

        return hunks;
    }
}
