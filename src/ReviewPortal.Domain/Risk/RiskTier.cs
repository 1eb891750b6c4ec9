namespace ReviewPortal.Domain.Risk;

/// <summary>Review tier of a change; the number is the tier shown to people (1 lowest, 4 critical).</summary>
public enum RiskTier
{
    Low = 1,
    Medium = 2,
    High = 3,
    Critical = 4,
}
