using DiffPlex;

namespace ReviewPortal.Domain.Diff;

/// <summary>One line that a change added or removed, with its 1-based number on its own side.</summary>
public sealed record ChangedLine(int Number, string Text);

/// <summary>The lines a change adds to and removes from one file; the basis of stats and risk evidence.</summary>
public sealed record FileLineChanges(string Path, IReadOnlyList<ChangedLine> Added, IReadOnlyList<ChangedLine> Removed)
{
    public int Additions => Added.Count;

    public int Deletions => Removed.Count;

    /// <summary>Changed lines = additions + deletions (PRODUCT.md step 3).</summary>
    public int ChangedLineCount => Additions + Deletions;

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

        return new FileLineChanges(path, added, removed);
    }
}
