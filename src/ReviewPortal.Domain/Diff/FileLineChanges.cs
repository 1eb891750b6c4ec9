using DiffPlex;

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

    /// <summary>Changed lines = additions + deletions (PRODUCT.md step 3).</summary>
    public int ChangedLineCount => Additions + Deletions;

    /// <summary>A null old content means the file is new, a null new content that it was deleted.</summary>
    public static FileLineChanges Compute(string path, string? oldContent, string? newContent)
    {
        var diff = new Differ().CreateLineDiffs(DiffText.Normalize(oldContent), DiffText.Normalize(newContent), ignoreWhitespace: false);
        var added = new List<ChangedLine>();
        var removed = new List<ChangedLine>();
        foreach (var block in diff.DiffBlocks)
        {
            for (var i = 0; i < block.DeleteCountA; i++)
            {
                var index = block.DeleteStartA + i;
                removed.Add(new ChangedLine(index + 1, diff.PiecesOld[index]));
            }

            for (var i = 0; i < block.InsertCountB; i++)
            {
                var index = block.InsertStartB + i;
                added.Add(new ChangedLine(index + 1, diff.PiecesNew[index]));
            }
        }

        var kind = (oldContent, newContent) switch
        {
            (null, not null) => FileChangeKind.Added,
            (not null, null) => FileChangeKind.Deleted,
            _ => FileChangeKind.Modified,
        };
        return new FileLineChanges(path, added, removed) { Kind = kind };
    }
}
