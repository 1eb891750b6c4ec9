namespace ReviewPortal.Domain.Diff;

/// <summary>
/// Word-level changes inside modified lines: within each changed block, the k-th deleted line is paired with the
/// k-th inserted line (as side-by-side viewers do), and the two are diffed token by token (words, runs of
/// whitespace, single punctuation characters).
/// </summary>
public static class WordDiff
{
    /// <summary>Lines longer than this are marked as changed whole: word-diffing minified code helps nobody.</summary>
    public const int MaxLineLength = 2000;

    public static IReadOnlyList<ModifiedLine> PairModifiedLines(IReadOnlyList<string> oldLines, IReadOnlyList<string> newLines, IReadOnlyList<Edit> edits)
    {
        ArgumentNullException.ThrowIfNull(oldLines);
        ArgumentNullException.ThrowIfNull(newLines);
        ArgumentNullException.ThrowIfNull(edits);
        var pairs = new List<ModifiedLine>();
        for (var i = 0; i < edits.Count; i++)
        {
            if (edits[i].Kind != EditKind.Delete || i + 1 >= edits.Count || edits[i + 1].Kind != EditKind.Insert)
            {
                continue;
            }

            var deleted = edits[i];
            var inserted = edits[i + 1];
            for (var k = 0; k < Math.Min(deleted.Count, inserted.Count); k++)
            {
                var oldLine = deleted.OldStart + k;
                var newLine = inserted.NewStart + k;
                var (oldChanged, newChanged) = Changes(oldLines[oldLine], newLines[newLine]);
                pairs.Add(new ModifiedLine(oldLine, newLine, oldChanged, newChanged));
            }

            i++;
        }

        return pairs;
    }

    /// <summary>The spans of <paramref name="oldText"/> and <paramref name="newText"/> that differ, token by token.</summary>
    public static (IReadOnlyList<TextSpan> Old, IReadOnlyList<TextSpan> New) Changes(string oldText, string newText)
    {
        ArgumentNullException.ThrowIfNull(oldText);
        ArgumentNullException.ThrowIfNull(newText);
        if (oldText.Length > MaxLineLength || newText.Length > MaxLineLength)
        {
            return (Whole(oldText), Whole(newText));
        }

        var oldTokens = Tokenize(oldText);
        var newTokens = Tokenize(newText);
        var edits = LineDiffEngine.Diff(oldTokens.Select(t => oldText.Substring(t.Start, t.Length)).ToArray(), newTokens.Select(t => newText.Substring(t.Start, t.Length)).ToArray());
        var oldChanged = new List<TextSpan>();
        var newChanged = new List<TextSpan>();
        foreach (var edit in edits)
        {
            if (edit.Kind == EditKind.Delete)
            {
                Add(oldChanged, Covering(oldTokens, edit.OldStart, edit.Count));
            }
            else if (edit.Kind == EditKind.Insert)
            {
                Add(newChanged, Covering(newTokens, edit.NewStart, edit.Count));
            }
        }

        return (oldChanged, newChanged);
    }

    /// <summary>Words (letters, digits, '_'), runs of whitespace, and every other character on its own.</summary>
    public static List<TextSpan> Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = new List<TextSpan>();
        var i = 0;
        while (i < text.Length)
        {
            var start = i;
            if (IsWordChar(text[i]))
            {
                while (i < text.Length && IsWordChar(text[i]))
                {
                    i++;
                }
            }
            else if (char.IsWhiteSpace(text[i]))
            {
                while (i < text.Length && char.IsWhiteSpace(text[i]))
                {
                    i++;
                }
            }
            else
            {
                i++;
            }

            tokens.Add(new TextSpan(start, i - start));
        }

        return tokens;
    }

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_';

    private static TextSpan Covering(List<TextSpan> tokens, int first, int count) =>
        new(tokens[first].Start, tokens[first + count - 1].End - tokens[first].Start);

    private static void Add(List<TextSpan> spans, TextSpan span)
    {
        if (spans.Count > 0 && spans[^1].End == span.Start)
        {
            spans[^1] = new TextSpan(spans[^1].Start, spans[^1].Length + span.Length);
        }
        else
        {
            spans.Add(span);
        }
    }

    private static TextSpan[] Whole(string text) => text.Length == 0 ? [] : [new TextSpan(0, text.Length)];
}
