using ReviewPortal.Domain.Risk;

namespace ReviewPortal.Domain.Policy;

/// <summary>What one tier needs before a change of that tier counts as approved.</summary>
public sealed class TierRequirement
{
    /// <summary>How many distinct people must approve the head commit.</summary>
    public int Approvals { get; set; } = 1;

    /// <summary>Only security reviewers decide on the tier, and only their approvals count (four eyes inside the security team).</summary>
    public bool SecurityReviewersOnly { get; set; }

    public bool RollbackPlanRequired { get; set; }

    /// <summary>The rollback plan must say what undoing the change touches.</summary>
    public bool BlastRadiusRequired { get; set; }

    /// <summary>The portal approves a change of this tier itself once its checks pass and the wait period has elapsed.</summary>
    public bool AutomaticApproval { get; set; }
}

/// <summary>When the portal may approve a change itself (tier 1).</summary>
public sealed class AutomaticApprovalOptions
{
    /// <summary>Off: no change is approved automatically, whatever its tier allows.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How long the head revision must have been there before the portal approves it, so people can look first.</summary>
    public TimeSpan WaitPeriod { get; set; } = TimeSpan.FromHours(1);

    public double MinimumCoveragePercent { get; set; } = 80;

    /// <summary>The policy compliance score (0-100) the agent's run must reach.</summary>
    public double MinimumPolicyScore { get; set; } = 80;

    /// <summary>The most severe security finding that still allows automatic approval.</summary>
    public FindingSeverity HighestAllowedFinding { get; set; } = FindingSeverity.Low;

    /// <summary>How often the background job looks for eligible changes; the rule itself does not depend on it.</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// The tier policy, with its defaults; bound from configuration section <see cref="SectionName"/>
/// (for example <c>Review:Policy:Tier4:Approvals</c>, <c>Review:Policy:AutomaticApproval:WaitPeriod</c>).
/// </summary>
public sealed class ReviewPolicyOptions
{
    public const string SectionName = "Review:Policy";

    public TierRequirement Tier1 { get; set; } = new() { AutomaticApproval = true };

    public TierRequirement Tier2 { get; set; } = new();

    public TierRequirement Tier3 { get; set; } = new() { RollbackPlanRequired = true };

    public TierRequirement Tier4 { get; set; } = new() { Approvals = 2, SecurityReviewersOnly = true, RollbackPlanRequired = true, BlastRadiusRequired = true };

    public AutomaticApprovalOptions AutomaticApproval { get; set; } = new();

    public TierRequirement For(RiskTier tier) => tier switch
    {
        RiskTier.Low => Tier1,
        RiskTier.Medium => Tier2,
        RiskTier.High => Tier3,
        RiskTier.Critical => Tier4,
        _ => throw new ArgumentOutOfRangeException(nameof(tier), tier, "Unknown tier."),
    };

    /// <summary>What is wrong with these settings, as an operator would fix it; empty when they can be used.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        foreach (var tier in Enum.GetValues<RiskTier>())
        {
            var requirement = For(tier);
            var key = $"{SectionName}:Tier{(int)tier}";
            if (requirement is null)
            {
                errors.Add($"{key} is missing.");
                continue;
            }

            // Even a tier that is approved automatically keeps a way for people to approve it.
            if (requirement.Approvals is < 1 or > 10)
            {
                errors.Add($"{key}:Approvals must be between 1 and 10 (it is {requirement.Approvals}).");
            }

            if (requirement.BlastRadiusRequired && !requirement.RollbackPlanRequired)
            {
                errors.Add($"{key}:BlastRadiusRequired needs {key}:RollbackPlanRequired: the blast radius is part of the rollback plan.");
            }
        }

        // Four eyes inside the security team must never be replaced by the portal's own judgement.
        if (Tier4 is { AutomaticApproval: true })
        {
            errors.Add($"{SectionName}:Tier4:AutomaticApproval cannot be on: critical changes need two security reviewers.");
        }

        if (AutomaticApproval is null)
        {
            errors.Add($"{SectionName}:AutomaticApproval is missing.");
            return errors;
        }

        if (AutomaticApproval.WaitPeriod < TimeSpan.Zero)
        {
            errors.Add($"{SectionName}:AutomaticApproval:WaitPeriod cannot be negative.");
        }

        if (AutomaticApproval.CheckInterval < TimeSpan.FromSeconds(1))
        {
            errors.Add($"{SectionName}:AutomaticApproval:CheckInterval must be at least one second.");
        }

        if (AutomaticApproval.MinimumCoveragePercent is < 0 or > 100 || double.IsNaN(AutomaticApproval.MinimumCoveragePercent))
        {
            errors.Add($"{SectionName}:AutomaticApproval:MinimumCoveragePercent must be between 0 and 100.");
        }

        if (AutomaticApproval.MinimumPolicyScore is < 0 or > 100 || double.IsNaN(AutomaticApproval.MinimumPolicyScore))
        {
            errors.Add($"{SectionName}:AutomaticApproval:MinimumPolicyScore must be between 0 and 100.");
        }

        if (!Enum.IsDefined(AutomaticApproval.HighestAllowedFinding))
        {
            errors.Add($"{SectionName}:AutomaticApproval:HighestAllowedFinding must be one of {string.Join(", ", Enum.GetNames<FindingSeverity>())}.");
        }

        return errors;
    }
}
