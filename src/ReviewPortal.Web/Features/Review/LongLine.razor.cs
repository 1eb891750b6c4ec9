using Microsoft.AspNetCore.Components;

namespace ReviewPortal.Web.Features.Review;

/// <summary>
/// A line longer than the diff viewer's limit (<see cref="DiffViewSettings.LongLineLimit"/>): its start, and the
/// whole line on request. Both are plain text: the cell is marked so that syntax highlighting skips it, and such a
/// line never has word-level changes (the limit is at least <see cref="DiffViewSettings.MinimumLongLineLimit"/>), so no
/// script walks a megabyte of text.
/// </summary>
public partial class LongLine
{
    private string start = "";
    private bool expanded;
    private string? expandedText;

    [Parameter, EditorRequired]
    public string Text { get; set; } = "";

    [Parameter, EditorRequired]
    public int Limit { get; set; }

    protected override void OnParametersSet()
    {
        // Diff rows are reused by position: once a gap opens above, this component may be handed another line, and
        // that one starts cut (the full line shown belongs to the line the reviewer opened, never to its neighbour).
        if (!string.Equals(Text, expandedText, StringComparison.Ordinal))
        {
            expanded = false;
        }

        start = Start(Text, Limit);
    }

    /// <summary>The first <paramref name="limit"/> characters, one fewer where the cut would split a surrogate pair.</summary>
    private static string Start(string text, int limit) =>
        text.Length <= limit ? text : text[..(char.IsHighSurrogate(text[limit - 1]) ? limit - 1 : limit)];

    private void Toggle()
    {
        expanded = !expanded;
        expandedText = expanded ? Text : null;
    }
}
