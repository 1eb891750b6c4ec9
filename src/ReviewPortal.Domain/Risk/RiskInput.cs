using ReviewPortal.Domain.Diff;

namespace ReviewPortal.Domain.Risk;

public enum FindingSeverity
{
    Info = 0,
    Low = 1,
    Medium = 2,
    High = 3,
    Critical = 4,
}

public sealed record SecurityFinding(FindingSeverity Severity, string Title, string? Path = null);

/// <summary>Everything the rules may look at for one revision of a change.</summary>
public sealed record RiskInput(IReadOnlyList<FileLineChanges> Files, double? CoveragePercent = null, IReadOnlyList<SecurityFinding>? Findings = null)
{
    public int ChangedLineCount => Files.Sum(f => f.ChangedLineCount);
}
