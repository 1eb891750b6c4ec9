using DiffPlex;
using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;

namespace ReviewPortal.Domain.Diff;

public enum DiffLineKind
{
    Unchanged,
    Inserted,
    Deleted,
    Modified,
    /// <summary>Padding on one side where the other side has a line.</summary>
    Empty,
}

/// <summary>A run of characters inside a line; <see cref="Changed"/> marks the word-level edits of a modified line.</summary>
public sealed record DiffSegment(string Text, bool Changed);

public sealed record DiffCell(int? LineNumber, DiffLineKind Kind, IReadOnlyList<DiffSegment> Segments)
{
    public string Text => string.Concat(Segments.Select(s => s.Text));
}

public sealed record SideBySideRow(DiffCell Left, DiffCell Right)
{
    public bool IsChange => Left.Kind != DiffLineKind.Unchanged || Right.Kind != DiffLineKind.Unchanged;
}

/// <summary>Side-by-side rows of one file, left = old, right = new, with word-level changes inside modified lines.</summary>
public sealed record SideBySideDiff(IReadOnlyList<SideBySideRow> Rows)
{
    public int Additions => Rows.Count(r => r.Right.Kind is DiffLineKind.Inserted or DiffLineKind.Modified);

    public int Deletions => Rows.Count(r => r.Left.Kind is DiffLineKind.Deleted or DiffLineKind.Modified);

    public static SideBySideDiff Compute(string? oldContent, string? newContent)
    {
        var model = new SideBySideDiffBuilder(new Differ()).BuildDiffModel(DiffText.Normalize(oldContent), DiffText.Normalize(newContent));
        var rows = new List<SideBySideRow>(Math.Max(model.OldText.Lines.Count, model.NewText.Lines.Count));
        for (var i = 0; i < model.OldText.Lines.Count; i++)
        {
            rows.Add(new SideBySideRow(ToCell(model.OldText.Lines[i]), ToCell(model.NewText.Lines[i])));
        }

        return new SideBySideDiff(rows);
    }

    private static DiffCell ToCell(DiffPiece piece)
    {
        var kind = piece.Type switch
        {
            ChangeType.Unchanged => DiffLineKind.Unchanged,
            ChangeType.Inserted => DiffLineKind.Inserted,
            ChangeType.Deleted => DiffLineKind.Deleted,
            ChangeType.Modified => DiffLineKind.Modified,
            _ => DiffLineKind.Empty,
        };
        if (kind == DiffLineKind.Empty)
        {
            return new DiffCell(null, kind, []);
        }

        IReadOnlyList<DiffSegment> segments = kind == DiffLineKind.Modified && piece.SubPieces.Count > 0
            ? Merge(piece.SubPieces.Where(p => p.Type != ChangeType.Imaginary && p.Text is not null)
                .Select(p => new DiffSegment(p.Text, p.Type != ChangeType.Unchanged)))
            : [new DiffSegment(piece.Text ?? string.Empty, Changed: false)];
        return new DiffCell(piece.Position, kind, segments);
    }

    /// <summary>Joins neighbouring word pieces of the same kind, so the page renders a few spans, not one per word.</summary>
    private static List<DiffSegment> Merge(IEnumerable<DiffSegment> pieces)
    {
        var merged = new List<DiffSegment>();
        foreach (var piece in pieces)
        {
            if (merged.Count > 0 && merged[^1].Changed == piece.Changed)
            {
                merged[^1] = merged[^1] with { Text = merged[^1].Text + piece.Text };
            }
            else
            {
                merged.Add(piece);
            }
        }

        return merged;
    }
}
