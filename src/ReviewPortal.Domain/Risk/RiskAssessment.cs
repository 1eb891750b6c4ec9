namespace ReviewPortal.Domain.Risk;

/// <summary>Where a rule saw what made it fire: a file, optionally a line, and what was there.</summary>
public sealed record RuleEvidence(string? Path, int? Line, string Detail);

public sealed record RuleContribution(string RuleId, string Description, int Points, IReadOnlyList<RuleEvidence> Evidence);

/// <summary>The explainable result: the score is the sum of the contributions, the tier follows from it.</summary>
public sealed record RiskAssessment(int Score, RiskTier Tier, string RuleSetVersion, IReadOnlyList<RuleContribution> Contributions);
