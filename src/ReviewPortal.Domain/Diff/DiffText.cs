namespace ReviewPortal.Domain.Diff;

internal static class DiffText
{
    /// <summary>
    /// The text as the line differ should see it: a file's final newline ends its last line rather than
    /// starting an empty one, and a missing file has no lines.
    /// </summary>
    public static string Normalize(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        if (text.EndsWith("\r\n", StringComparison.Ordinal))
        {
            return text[..^2];
        }

        return text.EndsWith('\n') || text.EndsWith('\r') ? text[..^1] : text;
    }
}
