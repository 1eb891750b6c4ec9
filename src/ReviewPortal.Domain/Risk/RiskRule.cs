using ReviewPortal.Domain.AgentHabits;

namespace ReviewPortal.Domain.Risk;

/// <summary>What a rule looks at.</summary>
public enum RiskCondition
{
    /// <summary>Any changed file matches one of <see cref="RiskRule.Paths"/>.</summary>
    PathMatches,

    /// <summary>A file under a migrations path, or a SQL file whose changed lines hold DDL.</summary>
    MigrationChange,

    /// <summary>Changed lines (added or removed) hold SQL queries.</summary>
    SqlQueryChange,

    /// <summary>Additions + deletions over all files exceed <see cref="RiskRule.Threshold"/>.</summary>
    ChangedLinesAbove,

    /// <summary>Reported test coverage (percent) is below <see cref="RiskRule.Threshold"/>.</summary>
    CoverageBelow,

    /// <summary>At least one security finding at or above <see cref="RiskRule.MinimumSeverity"/>.</summary>
    SecurityFindings,

    /// <summary>The agent-habit checks report at least one finding of kind <see cref="RiskRule.Finding"/>.</summary>
    AgentFinding,
}

public sealed record RiskRule(
    string Id,
    string Description,
    int Weight,
    RiskCondition Condition,
    IReadOnlyList<string>? Paths = null,
    int? Threshold = null,
    FindingSeverity MinimumSeverity = FindingSeverity.Low,
    AgentFindingKind? Finding = null);
