using ReviewPortal.Domain.Diff;

namespace ReviewPortal.Web.Features.Review;

/// <summary><c>Review:DiffView</c>: how the diff viewer shows lines.</summary>
public sealed class DiffViewSettings
{
    public const string Section = "Review:DiffView";

    /// <summary>
    /// Lines longer than this many characters (minified code, generated data) are cut in the view, without syntax
    /// highlighting or word-level changes; the reviewer can open the whole line as plain text. A browser that lays
    /// out and highlights a megabyte-long line stops responding for minutes.
    /// </summary>
    public int LongLineLimit { get; set; } = 10_000;

    /// <summary>
    /// The lowest <see cref="LongLineLimit"/>: <see cref="WordDiff"/> compares no words of a line longer than this, so a
    /// cut line never carries word-level changes that the cut would split.
    /// </summary>
    public const int MinimumLongLineLimit = WordDiff.MaxLineLength;

    public const int MaximumLongLineLimit = 1_000_000;

    internal bool IsValid() => LongLineLimit is >= MinimumLongLineLimit and <= MaximumLongLineLimit;
}
