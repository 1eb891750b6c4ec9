using ReviewPortal.Domain.Decisions;
using ReviewPortal.Domain.Risk;

namespace ReviewPortal.Domain.Policy;

/// <summary>What one tier needs before a change of that tier counts as approved.</summary>
public sealed class TierRequirement
{
    /// <summary>How many distinct people must approve the head commit (when <see cref="Quorum"/> is empty).</summary>
    public int Approvals { get; set; } = 1;

    /// <summary>Only security reviewers decide on the tier, and only their approvals count (four eyes inside the security team); used when <see cref="Quorum"/> is empty.</summary>
    public bool SecurityReviewersOnly { get; set; }

    /// <summary>
    /// Whose approvals the tier needs, as counts per group (portal roles, <see cref="QuorumGroups.AnyReviewer"/>, or
    /// identity-provider groups): "1 SecurityReviewer and 1 legal". Empty: <see cref="Approvals"/> people who are
    /// security reviewers (<see cref="SecurityReviewersOnly"/>) or reviewers. When set, those two are not used.
    /// </summary>
    public List<GroupQuorum> Quorum { get; set; } = [];

    /// <summary>The tier's seats: <see cref="Quorum"/>, or the ones <see cref="Approvals"/> and <see cref="SecurityReviewersOnly"/> describe.</summary>
    public IReadOnlyList<QuorumSeats> Seats() =>
        Quorum is { Count: > 0 }
            ? [.. Quorum.Select(q => new QuorumSeats(q.Group, q.Count))]
            : [new QuorumSeats(SecurityReviewersOnly ? PortalRoles.SecurityReviewer : QuorumGroups.AnyReviewer, Approvals)];

    public bool RollbackPlanRequired { get; set; }

    /// <summary>The rollback plan must say what undoing the change touches.</summary>
    public bool BlastRadiusRequired { get; set; }

    /// <summary>The portal approves a change of this tier itself once its checks pass and the wait period has elapsed.</summary>
    public bool AutomaticApproval { get; set; }
}

/// <summary>So many approvals from people in one group.</summary>
public sealed class GroupQuorum
{
    public string Group { get; set; } = "";

    public int Count { get; set; } = 1;
}

/// <summary>
/// Approvals a change needs, on top of its tier's, when it touches a file matching one of <see cref="Paths"/> (path
/// globs as in the risk rules): "changes to public API contracts need 1 approval from change-advisory-board".
/// </summary>
public sealed class PathQuorum
{
    public List<string> Paths { get; set; } = [];

    public string Group { get; set; } = "";

    public int Count { get; set; } = 1;

    /// <summary>What the paths are, as reviewers read it next to the need: "public API contracts".</summary>
    public string Reason { get; set; } = "";

    public bool Matches(IEnumerable<string> changedPaths)
    {
        ArgumentNullException.ThrowIfNull(changedPaths);
        var patterns = Paths.Where(p => GlobPattern.FindProblem(p) is null).Select(p => new GlobPattern(p)).ToList();
        return changedPaths.Any(path => patterns.Any(p => p.IsMatch(path)));
    }
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

    /// <summary>Approvals added for changes that touch certain paths (<c>Review:Policy:PathQuorums:0:Paths:0</c>...).</summary>
    public List<PathQuorum> PathQuorums { get; set; } = [];

    /// <summary>
    /// The seats a change of <paramref name="tier"/> touching <paramref name="paths"/> needs filled: the tier's, then those of
    /// each path rule that matches. Different groups add up; a group named twice needs the larger of its counts.
    /// </summary>
    public IReadOnlyList<QuorumSeats> SeatsFor(RiskTier tier, IReadOnlyCollection<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var seats = For(tier).Seats().ToList();
        foreach (var rule in (PathQuorums ?? []).Where(r => r.Matches(paths)))
        {
            var same = seats.FindIndex(s => string.Equals(s.Group, rule.Group, StringComparison.Ordinal));
            if (same < 0)
            {
                seats.Add(new QuorumSeats(rule.Group, rule.Count, rule.Reason));
            }
            else if (seats[same].Count < rule.Count)
            {
                seats[same] = seats[same] with { Count = rule.Count, Reason = rule.Reason };
            }
        }

        return seats;
    }

    /// <summary>The path rules that apply to a change touching <paramref name="paths"/>.</summary>
    public IReadOnlyList<PathQuorum> PathQuorumsFor(IReadOnlyCollection<string> paths) => [.. (PathQuorums ?? []).Where(r => r.Matches(paths))];

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

            ValidateQuorum(requirement, key, errors);
        }

        ValidatePathQuorums(errors);

        // Four eyes inside the security team must never be replaced by the portal's own judgement.
        if (Tier4 is { AutomaticApproval: true })
        {
            errors.Add($"{SectionName}:Tier4:AutomaticApproval cannot be on: critical changes need two security reviewers.");
        }

        if (Tier4 is not null && Tier4.Seats() is var critical && (critical.Sum(s => s.Count) < 2 || !critical.Any(s => s.Group == PortalRoles.SecurityReviewer)))
        {
            errors.Add($"{SectionName}:Tier4:Quorum must ask for at least 2 approvals in all, at least one of them from {PortalRoles.SecurityReviewer}.");
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

    private static void ValidateQuorum(TierRequirement requirement, string key, List<string> errors)
    {
        var quorum = requirement.Quorum ?? [];
        for (var i = 0; i < quorum.Count; i++)
        {
            ValidateSeats(quorum[i]?.Group, quorum[i]?.Count ?? 0, $"{key}:Quorum:{i}", errors);
        }

        foreach (var repeated in quorum.Where(q => !string.IsNullOrWhiteSpace(q?.Group)).GroupBy(q => q.Group, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            errors.Add($"{key}:Quorum names {repeated.Key} more than once; give it one count.");
        }

        if (quorum.Sum(q => q?.Count ?? 0) > MaxSeats)
        {
            errors.Add($"{key}:Quorum asks for more than {MaxSeats} approvals in all.");
        }
    }

    private void ValidatePathQuorums(List<string> errors)
    {
        var rules = PathQuorums ?? [];
        for (var i = 0; i < rules.Count; i++)
        {
            var key = $"{SectionName}:PathQuorums:{i}";
            var rule = rules[i];
            if (rule is null)
            {
                errors.Add($"{key} is empty.");
                continue;
            }

            ValidateSeats(rule.Group, rule.Count, key, errors);
            if (rule.Paths is not { Count: > 0 })
            {
                errors.Add($"{key}:Paths must name at least one path pattern.");
            }
            else
            {
                errors.AddRange(rule.Paths.Select((p, j) => GlobPattern.FindProblem(p) is { } problem ? $"{key}:Paths:{j}: {problem}." : null).OfType<string>());
            }

            if (string.IsNullOrWhiteSpace(rule.Reason))
            {
                errors.Add($"{key}:Reason must say what the paths are; reviewers read it next to what the change still needs.");
            }
        }
    }

    private static void ValidateSeats(string? group, int count, string key, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(group) || group.Trim().Length != group.Length)
        {
            errors.Add($"{key}:Group must name a group (without surrounding spaces).");
        }

        if (count is < 1 or > MaxSeats)
        {
            errors.Add($"{key}:Count must be between 1 and {MaxSeats} (it is {count}).");
        }
    }

    private const int MaxSeats = 10;
}
