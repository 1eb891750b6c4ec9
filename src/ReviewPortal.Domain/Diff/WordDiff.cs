using System.Numerics;

namespace ReviewPortal.Domain.Diff;

/// <summary>
/// Word-level changes inside modified lines. Within each changed block (deleted lines followed by inserted ones),
/// deleted and inserted lines are paired by similarity, in order (so an inserted line between two edited ones
/// does not shift every pair below it), and each pair is diffed token by token: words (letters, digits, '_'),
/// runs of whitespace, and every other character on its own. A pair that turns out less than half the same is no
/// modification but a replacement: it gets no pair, and the viewer shows both lines as changed whole.
/// </summary>
public static class WordDiff
{
    /// <summary>Lines longer than this are changed whole: word-diffing minified code helps nobody.</summary>
    public const int MaxLineLength = 2000;

    /// <summary>A pair is word-diffed only if at least this share of its tokens is unchanged.</summary>
    public const double MinSimilarity = 0.5;

    /// <summary>Beyond this many token edits a pair is changed whole, however long its lines.</summary>
    public const int MaxTokenEdits = 256;

    /// <summary>Pairing looks at most this many lines of each side of a block at once, so huge blocks stay linear.</summary>
    private const int PairingWindow = 64;

    /// <summary>Candidates for a pair share at least this much of their words (estimated, in thousandths).</summary>
    private const int MinPairingSimilarity = 400;

    public static IReadOnlyList<ModifiedLine> PairModifiedLines(IReadOnlyList<string> oldLines, IReadOnlyList<string> newLines, IReadOnlyList<Edit> edits)
    {
        ArgumentNullException.ThrowIfNull(oldLines);
        ArgumentNullException.ThrowIfNull(newLines);
        ArgumentNullException.ThrowIfNull(edits);
        var pairs = new List<ModifiedLine>();
        var tokens = new TokenBuffers();
        var buffers = new PairingBuffers();
        var candidates = new List<(int Old, int New)>();
        for (var i = 0; i + 1 < edits.Count; i++)
        {
            if (edits[i].Kind != EditKind.Delete || edits[i + 1].Kind != EditKind.Insert)
            {
                continue;
            }

            candidates.Clear();
            PairBlock(oldLines, edits[i], newLines, edits[i + 1], buffers, candidates);
            foreach (var (oldLine, newLine) in candidates)
            {
                if (tokens.TryDiff(oldLines[oldLine], newLines[newLine], out var oldChanged, out var newChanged))
                {
                    pairs.Add(new ModifiedLine(oldLine, newLine, oldChanged, newChanged));
                }
            }

            i++;
        }

        return pairs;
    }

    /// <summary>The spans of <paramref name="oldText"/> and <paramref name="newText"/> that differ, token by token; both whole when the lines are not similar.</summary>
    public static (IReadOnlyList<TextSpan> Old, IReadOnlyList<TextSpan> New) Changes(string oldText, string newText)
    {
        ArgumentNullException.ThrowIfNull(oldText);
        ArgumentNullException.ThrowIfNull(newText);
        return new TokenBuffers().TryDiff(oldText, newText, out var oldChanged, out var newChanged)
            ? (oldChanged, newChanged)
            : (Whole(oldText), Whole(newText));
    }

    /// <summary>Words (letters, digits, '_'), runs of whitespace, and every other character on its own (a surrogate pair counts as one).</summary>
    public static List<TextSpan> Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = new List<TextSpan>();
        for (var i = 0; i < text.Length;)
        {
            var end = TokenEnd(text, i);
            tokens.Add(new TextSpan(i, end - i));
            i = end;
        }

        return tokens;
    }

    private static int TokenEnd(string text, int i)
    {
        var c = text[i];
        if (IsWordChar(c))
        {
            do
            {
                i++;
            }
            while (i < text.Length && IsWordChar(text[i]));
            return i;
        }

        if (char.IsWhiteSpace(c))
        {
            do
            {
                i++;
            }
            while (i < text.Length && char.IsWhiteSpace(text[i]));
            return i;
        }

        return char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? i + 2 : i + 1;
    }

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_';

    private static TextSpan[] Whole(string text) => text.Length == 0 ? [] : [new TextSpan(0, text.Length)];

    /// <summary>
    /// Pairs deleted and inserted lines of one block: the order-preserving pairing with the greatest total
    /// similarity, where similarity is estimated from a 64-bit signature of each line's words. A large block is
    /// paired a window of at most <see cref="PairingWindow"/> lines a side at a time: the pairs in the first half of
    /// the window's deleted lines are kept and the next window starts after them, so the windows follow the
    /// block's own alignment (shifted by inserted or deleted lines) and the work stays linear.
    /// </summary>
    private static void PairBlock(IReadOnlyList<string> oldLines, Edit deleted, IReadOnlyList<string> newLines, Edit inserted, PairingBuffers buffers, List<(int, int)> pairs)
    {
        var oldEnd = deleted.OldStart + deleted.Count;
        var newEnd = inserted.NewStart + inserted.Count;
        var oldSignatures = buffers.OldSignatures(deleted.Count);
        var newSignatures = buffers.NewSignatures(inserted.Count);
        for (var r = 0; r < deleted.Count; r++)
        {
            oldSignatures[r] = Signature(oldLines[deleted.OldStart + r]);
        }

        for (var c = 0; c < inserted.Count; c++)
        {
            newSignatures[c] = Signature(newLines[inserted.NewStart + c]);
        }

        var scores = buffers.Scores;
        var window = buffers.Window;
        var (oldFrom, newFrom) = (deleted.OldStart, inserted.NewStart);
        while (oldFrom < oldEnd && newFrom < newEnd)
        {
            var rows = Math.Min(PairingWindow, oldEnd - oldFrom);
            var columns = Math.Min(PairingWindow, newEnd - newFrom);
            var last = oldFrom + rows == oldEnd && newFrom + columns == newEnd;
            window.Clear();
            PairWindow(
                oldSignatures.AsSpan(oldFrom - deleted.OldStart, rows),
                newSignatures.AsSpan(newFrom - inserted.NewStart, columns),
                scores,
                window);
            var keepBefore = last ? rows : Math.Max(1, rows / 2);
            var nextNew = newFrom;
            foreach (var (r, c) in window)
            {
                if (r < keepBefore)
                {
                    pairs.Add((oldFrom + r, newFrom + c));
                    nextNew = newFrom + c + 1;
                }
            }

            (oldFrom, newFrom) = (oldFrom + keepBefore, nextNew);
        }
    }

    /// <summary>Dynamic programming over one window: scores[r, c] is the best total similarity pairing the first r old lines with the first c new ones.</summary>
    private static void PairWindow(ReadOnlySpan<ulong> oldSignatures, ReadOnlySpan<ulong> newSignatures, int[] scores, List<(int, int)> pairs)
    {
        var (rows, columns) = (oldSignatures.Length, newSignatures.Length);
        var stride = columns + 1;
        Array.Clear(scores, 0, (rows + 1) * stride);
        for (var r = 1; r <= rows; r++)
        {
            for (var c = 1; c <= columns; c++)
            {
                var best = Math.Max(scores[((r - 1) * stride) + c], scores[(r * stride) + c - 1]);
                var similarity = Similarity(oldSignatures[r - 1], newSignatures[c - 1]);
                if (similarity >= MinPairingSimilarity)
                {
                    best = Math.Max(best, scores[((r - 1) * stride) + c - 1] + similarity);
                }

                scores[(r * stride) + c] = best;
            }
        }

        var start = pairs.Count;
        for (int r = rows, c = columns; r > 0 && c > 0;)
        {
            var similarity = Similarity(oldSignatures[r - 1], newSignatures[c - 1]);
            if (similarity >= MinPairingSimilarity && scores[(r * stride) + c] == scores[((r - 1) * stride) + c - 1] + similarity)
            {
                pairs.Add((r - 1, c - 1));
                r--;
                c--;
            }
            else if (scores[(r * stride) + c] == scores[((r - 1) * stride) + c])
            {
                r--;
            }
            else
            {
                c--;
            }
        }

        pairs.Reverse(start, pairs.Count - start);
    }

    /// <summary>Estimated share of words two lines have in common, in thousandths (Dice coefficient over signature bits).</summary>
    private static int Similarity(ulong a, ulong b)
    {
        var total = BitOperations.PopCount(a) + BitOperations.PopCount(b);
        return total == 0 ? 1000 : 2000 * BitOperations.PopCount(a & b) / total;
    }

    /// <summary>One bit per distinct word of the line; a line without words uses its punctuation instead.</summary>
    private static ulong Signature(string line)
    {
        ulong words = 0;
        ulong other = 0;
        for (var i = 0; i < line.Length && i < MaxLineLength;)
        {
            var end = TokenEnd(line, i);
            if (IsWordChar(line[i]))
            {
                words |= 1UL << (int)(Hash(line, i, end) & 63);
            }
            else if (!char.IsWhiteSpace(line[i]))
            {
                other |= 1UL << (int)(Hash(line, i, end) & 63);
            }

            i = end;
        }

        return words != 0 ? words : other;
    }

    private static uint Hash(string text, int start, int end)
    {
        var hash = 2166136261u;
        for (var i = start; i < end; i++)
        {
            hash = (hash ^ text[i]) * 16777619u;
        }

        return hash ^ (hash >> 15);
    }

    /// <summary>Signatures, scores and the window's pairs, reused from block to block.</summary>
    private sealed class PairingBuffers
    {
        private ulong[] oldSignatures = new ulong[PairingWindow];
        private ulong[] newSignatures = new ulong[PairingWindow];

        public int[] Scores { get; } = new int[(PairingWindow + 1) * (PairingWindow + 1)];

        public List<(int, int)> Window { get; } = [];

        public ulong[] OldSignatures(int count) => oldSignatures.Length >= count ? oldSignatures : oldSignatures = new ulong[count];

        public ulong[] NewSignatures(int count) => newSignatures.Length >= count ? newSignatures : newSignatures = new ulong[count];
    }

    /// <summary>
    /// Token positions and hashes of the two lines of a pair, in buffers reused from pair to pair, so word-diffing
    /// thousands of pairs allocates only the resulting spans.
    /// </summary>
    private sealed class TokenBuffers
    {
        private int[] oldStarts = new int[64];
        private int[] oldHashes = new int[64];
        private int[] newStarts = new int[64];
        private int[] newHashes = new int[64];
        private int[] trace = new int[256];
        private readonly List<TextSpan> oldMarks = [];
        private readonly List<TextSpan> newMarks = [];

        /// <summary>Token-level changes of a pair; false when the lines are too long or too different to be worth it.</summary>
        public bool TryDiff(string oldText, string newText, out TextSpan[] oldChanged, out TextSpan[] newChanged)
        {
            oldChanged = [];
            newChanged = [];
            if (oldText.Length > MaxLineLength || newText.Length > MaxLineLength)
            {
                return false;
            }

            var n = Tokens(oldText, ref oldStarts, ref oldHashes);
            var m = Tokens(newText, ref newStarts, ref newHashes);
            var maxEdits = Math.Min((int)((n + m) * (1 - MinSimilarity)), MaxTokenEdits);

            var prefix = 0;
            while (prefix < n && prefix < m && Same(oldText, prefix, newText, prefix))
            {
                prefix++;
            }

            var suffix = 0;
            while (suffix < n - prefix && suffix < m - prefix && Same(oldText, n - 1 - suffix, newText, m - 1 - suffix))
            {
                suffix++;
            }

            oldMarks.Clear();
            newMarks.Clear();
            if (!Myers(oldText, prefix, n - suffix, newText, prefix, m - suffix, maxEdits, oldMarks, newMarks))
            {
                return false;
            }

            oldChanged = ToCharacters(oldMarks, oldStarts);
            newChanged = ToCharacters(newMarks, newStarts);
            return true;
        }

        private static int Tokens(string text, ref int[] starts, ref int[] hashes)
        {
            if (starts.Length < text.Length + 1)
            {
                starts = new int[text.Length + 1];
                hashes = new int[text.Length + 1];
            }

            var count = 0;
            for (var i = 0; i < text.Length;)
            {
                var end = TokenEnd(text, i);
                starts[count] = i;
                hashes[count] = (int)Hash(text, i, end);
                count++;
                i = end;
            }

            starts[count] = text.Length;
            return count;
        }

        private bool Same(string oldText, int i, string newText, int j)
        {
            if (oldHashes[i] != newHashes[j])
            {
                return false;
            }

            var length = oldStarts[i + 1] - oldStarts[i];
            return length == newStarts[j + 1] - newStarts[j]
                   && oldText.AsSpan(oldStarts[i], length).SequenceEqual(newText.AsSpan(newStarts[j], length));
        }

        /// <summary>
        /// Myers' greedy diff of tokens [aStart, aEnd) and [bStart, bEnd), keeping each round's furthest reach so the
        /// path can be walked back; the tokens off the path are added to the marks (as token index spans, in
        /// reverse). False when more than <paramref name="maxEdits"/> edits are needed.
        /// </summary>
        private bool Myers(string oldText, int aStart, int aEnd, string newText, int bStart, int bEnd, int maxEdits, List<TextSpan> oldMarks, List<TextSpan> newMarks)
        {
            var n = aEnd - aStart;
            var m = bEnd - bStart;
            if (n == 0 || m == 0)
            {
                if (n + m > maxEdits)
                {
                    return false;
                }

                AddTokens(oldMarks, aStart, n);
                AddTokens(newMarks, bStart, m);
                return true;
            }

            var limit = Math.Min(maxEdits, n + m);
            var needed = (limit + 1) * (limit + 1);
            if (trace.Length < needed)
            {
                trace = new int[Math.Max(needed, trace.Length * 2)];
            }

            // Round d keeps x for diagonals k = -d, -d + 2, ..., d at trace[d * d + (k + d) / 2].
            var edits = -1;
            for (var d = 0; d <= limit && edits < 0; d++)
            {
                for (var k = -d; k <= d; k += 2)
                {
                    int x;
                    if (d == 0)
                    {
                        x = 0;
                    }
                    else if (k == -d || (k != d && Reach(d - 1, k - 1) < Reach(d - 1, k + 1)))
                    {
                        x = Reach(d - 1, k + 1);
                    }
                    else
                    {
                        x = Reach(d - 1, k - 1) + 1;
                    }

                    var y = x - k;
                    while (x < n && y < m && Same(oldText, aStart + x, newText, bStart + y))
                    {
                        x++;
                        y++;
                    }

                    trace[(d * d) + ((k + d) / 2)] = x;
                    if (x >= n && y >= m)
                    {
                        edits = d;
                        break;
                    }
                }
            }

            if (edits < 0)
            {
                return false;
            }

            // Walk back from the end: each round contributed one deleted or inserted token before its snake.
            var (cx, cy) = (n, m);
            for (var d = edits; d > 0; d--)
            {
                var k = cx - cy;
                var down = k == -d || (k != d && Reach(d - 1, k - 1) < Reach(d - 1, k + 1));
                var previousK = down ? k + 1 : k - 1;
                var previousX = Reach(d - 1, previousK);
                var previousY = previousX - previousK;
                if (down)
                {
                    AddTokens(newMarks, bStart + previousY, 1);
                }
                else
                {
                    AddTokens(oldMarks, aStart + previousX, 1);
                }

                (cx, cy) = (previousX, previousY);
            }

            return true;
        }

        private int Reach(int d, int k) => trace[(d * d) + ((k + d) / 2)];

        private static void AddTokens(List<TextSpan> marks, int first, int count)
        {
            if (count > 0)
            {
                marks.Add(new TextSpan(first, count));
            }
        }

        /// <summary>Token index runs (found back to front) to character spans, in order, with touching ones joined.</summary>
        private static TextSpan[] ToCharacters(List<TextSpan> tokenRuns, int[] starts)
        {
            if (tokenRuns.Count == 0)
            {
                return [];
            }

            tokenRuns.Sort((x, y) => x.Start.CompareTo(y.Start));
            var spans = new List<TextSpan>(tokenRuns.Count);
            foreach (var run in tokenRuns)
            {
                var start = starts[run.Start];
                var end = starts[run.End];
                if (spans.Count > 0 && spans[^1].End == start)
                {
                    spans[^1] = new TextSpan(spans[^1].Start, end - spans[^1].Start);
                }
                else
                {
                    spans.Add(new TextSpan(start, end - start));
                }
            }

            return [.. spans];
        }
    }
}
