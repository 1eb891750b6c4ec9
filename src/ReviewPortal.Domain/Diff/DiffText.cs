namespace ReviewPortal.Domain.Diff;

public static class DiffText
{
    /// <summary>
    /// A file's lines as the diff numbers them: split on '\n' (a '\r' before it stays in the line, so a change of
    /// line endings is a change), the final newline ends the last line, and a missing or empty file has none.
    /// </summary>
    public static string[] SplitLines(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return [];
        }

        var lines = text.Split('\n');
        return text.EndsWith('\n') ? lines[..^1] : lines;
    }

    /// <summary>A line as it is shown: without the '\r' of a CRLF line ending.</summary>
    public static string Display(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        return line.EndsWith('\r') ? line[..^1] : line;
    }
}
