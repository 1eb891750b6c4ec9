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

/// <summary>
/// Everything the rules may look at for one revision of a change. The prompt, when known, lets the
/// out-of-scope check compare the changed files with the paths the prompt names.
/// </summary>
public sealed record RiskInput(
    IReadOnlyList<FileLineChanges> Files,
    double? CoveragePercent = null,
    IReadOnlyList<SecurityFinding>? Findings = null,
    string? Prompt = null)
{
    public int ChangedLineCount => Files.Sum(f => f.ChangedLineCount);
}
