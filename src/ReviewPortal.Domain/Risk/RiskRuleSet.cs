using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ReviewPortal.Domain.Risk;

/// <summary>A versioned set of rules; the version is a hash of the rules' content, so equal rules give equal versions.</summary>
public sealed class RiskRuleSet
{
    public static readonly IReadOnlyList<string> DefaultSecurityPaths =
        ["**/auth/**", "**/security/**", "**/identity/**", "**/crypto/**", "**/*Auth*.*", "**/*Token*.*"];

    public static readonly IReadOnlyList<string> DefaultMigrationPaths = ["**/migrations/**"];

    public RiskRuleSet(IReadOnlyList<RiskRule> rules, TierThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var duplicate = rules.GroupBy(r => r.Id, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Rule id '{duplicate.Key}' is used more than once.", nameof(rules));
        }

        Rules = rules;
        Thresholds = thresholds;
        Version = ComputeVersion(rules, thresholds);
    }

    /// <summary>The defaults of PRODUCT.md step 3.</summary>
    public static RiskRuleSet Default { get; } = new(
        [
            new RiskRule("security-paths", "Touches authentication or security code", 40, RiskCondition.PathMatches, DefaultSecurityPaths),
            new RiskRule("migrations", "Changes the database schema (migrations)", 30, RiskCondition.MigrationChange, DefaultMigrationPaths),
            new RiskRule("sql-queries", "Changes SQL queries", 20, RiskCondition.SqlQueryChange),
            new RiskRule("large-change", "More than 500 changed lines", 15, RiskCondition.ChangedLinesAbove, Threshold: 500),
            new RiskRule("low-coverage", "Test coverage below 80%", 25, RiskCondition.CoverageBelow, Threshold: 80),
            new RiskRule("security-findings", "Security scanner reported warnings", 35, RiskCondition.SecurityFindings, MinimumSeverity: FindingSeverity.Low),
        ],
        TierThresholds.Default);

    public IReadOnlyList<RiskRule> Rules { get; }

    public TierThresholds Thresholds { get; }

    public string Version { get; }

    private static string ComputeVersion(IReadOnlyList<RiskRule> rules, TierThresholds thresholds)
    {
        var canonical = JsonSerializer.Serialize(new { rules, thresholds });
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(canonical));
        return "rs-" + Convert.ToHexStringLower(hash)[..12];
    }
}
