namespace ReviewPortal.Domain.Diff;

/// <summary>Whether a change created, edited or removed a file; the agent-habit checks treat a deleted test file differently.</summary>
public enum FileChangeKind
{
    Modified,
    Added,
    Deleted,
}

/// <summary>One line that a change added or removed, with its 1-based number on its own side.</summary>
public sealed record ChangedLine(int Number, string Text);

/// <summary>The lines a change adds to and removes from one file; the basis of stats and risk evidence.</summary>
public sealed record FileLineChanges(string Path, IReadOnlyList<ChangedLine> Added, IReadOnlyList<ChangedLine> Removed)
{
    /// <summary>
    /// An init property rather than a constructor parameter, so that existing positional construction and
    /// deconstruction keep compiling; a hand-built instance counts as a modification.
    /// </summary>
    public FileChangeKind Kind { get; init; } = FileChangeKind.Modified;

    public int Additions => Added.Count;

    public int Deletions => Removed.Count;

    /// <summary>Changed lines = additions + deletions, as the risk rules count them.</summary>
    public int ChangedLineCount => Additions + Deletions;

    /// <summary>
    /// A null old content means the file is new, a null new content that it was deleted. The lines are those of
    /// the stored diff (<see cref="DiffText.SplitLines"/>, <see cref="LineDiffEngine"/>), so the stats and risk
    /// evidence count what the viewer shows; line texts are given without the '\r' of a CRLF ending.
    /// </summary>
    public static FileLineChanges Compute(string path, string? oldContent, string? newContent)
    {
        var oldLines = DiffText.SplitLines(oldContent);
        var newLines = DiffText.SplitLines(newContent);
        return From(path, KindOf(oldContent, newContent), oldLines, newLines, LineDiffEngine.Diff(oldLines, newLines));
    }

    /// <summary>The changes a line edit script describes, for callers that already diffed the file (e.g. for <see cref="FileDiff"/>).</summary>
    public static FileLineChanges From(string path, FileChangeKind kind, IReadOnlyList<string> oldLines, IReadOnlyList<string> newLines, IReadOnlyList<Edit> edits)
    {
        ArgumentNullException.ThrowIfNull(oldLines);
        ArgumentNullException.ThrowIfNull(newLines);
        ArgumentNullException.ThrowIfNull(edits);
        var added = new List<ChangedLine>();
        var removed = new List<ChangedLine>();
        foreach (var edit in edits)
        {
            for (var k = 0; k < edit.Count && edit.Kind != EditKind.Equal; k++)
            {
                if (edit.Kind == EditKind.Delete)
                {
                    removed.Add(new ChangedLine(edit.OldStart + k + 1, DiffText.Display(oldLines[edit.OldStart + k])));
                }
                else
                {
                    added.Add(new ChangedLine(edit.NewStart + k + 1, DiffText.Display(newLines[edit.NewStart + k])));
                }
            }
        }

        return new FileLineChanges(path, added, removed) { Kind = kind };
    }

    /// <summary>Whether a change created, edited or removed the file, from which side is missing.</summary>
    public static FileChangeKind KindOf(string? oldContent, string? newContent) => (oldContent, newContent) switch
    {
        (null, not null) => FileChangeKind.Added,
        (not null, null) => FileChangeKind.Deleted,
        _ => FileChangeKind.Modified,
    };
}
