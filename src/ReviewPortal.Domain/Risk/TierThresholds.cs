namespace ReviewPortal.Domain.Risk;

/// <summary>Score boundaries between tiers: each is the lowest score of its tier.</summary>
public sealed record TierThresholds(int Medium, int High, int Critical)
{
    public static TierThresholds Default { get; } = new(Medium: 20, High: 40, Critical: 70);

    public RiskTier TierFor(int score) => score switch
    {
        _ when score >= Critical => RiskTier.Critical,
        _ when score >= High => RiskTier.High,
        _ when score >= Medium => RiskTier.Medium,
        _ => RiskTier.Low,
    };
}
