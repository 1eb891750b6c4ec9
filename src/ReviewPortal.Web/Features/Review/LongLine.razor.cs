using Microsoft.AspNetCore.Components;

namespace ReviewPortal.Web.Features.Review;

/// <summary>
/// A line longer than the diff viewer's limit (<see cref="DiffViewSettings.LongLineLimit"/>): its start, and the
/// whole line on request. Both are plain text: the cell is marked so that syntax highlighting skips it, and such a
/// line never has word-level changes, so no script walks a megabyte of text.
/// </summary>
public partial class LongLine
{
    private string start = "";
    private bool expanded;

    [Parameter, EditorRequired]
    public string Text { get; set; } = "";

    [Parameter, EditorRequired]
    public int Limit { get; set; }

    protected override void OnParametersSet() => start = Start(Text, Limit);

    /// <summary>The first <paramref name="limit"/> characters, one fewer where the cut would split a surrogate pair.</summary>
    private static string Start(string text, int limit) =>
        text.Length <= limit ? text : text[..(char.IsHighSurrogate(text[limit - 1]) ? limit - 1 : limit)];

    private void Toggle() => expanded = !expanded;
}
