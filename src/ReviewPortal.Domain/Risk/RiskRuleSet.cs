using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using ReviewPortal.Domain.AgentHabits;

namespace ReviewPortal.Domain.Risk;

/// <summary>
/// A versioned set of rules. The version is a hash of the rules' canonical content (the fields each condition
/// uses, in a fixed order), so equal rules give equal versions however their YAML was formatted, and fields a
/// condition ignores cannot change it.
/// </summary>
public sealed partial class RiskRuleSet
{
    public static readonly IReadOnlyList<string> DefaultSecurityPaths =
        ["**/auth/**", "**/security/**", "**/identity/**", "**/crypto/**", "**/*Auth*.*", "**/*Token*.*"];

    public static readonly IReadOnlyList<string> DefaultMigrationPaths = ["**/migrations/**"];

    /// <summary>Throws <see cref="ArgumentException"/> listing every problem when the rules are not valid (see <see cref="FromYaml"/>).</summary>
    public RiskRuleSet(IReadOnlyList<RiskRule> rules, TierThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(thresholds);
        var errors = rules.SelectMany(r => RuleValidation.Validate(r ?? throw new ArgumentException("A rule is null.", nameof(rules)), _ => null))
            .Concat(RuleValidation.DuplicateIds(rules.Select(r => (r.Id, (int?)null))))
            .Concat(RuleValidation.Validate(thresholds, null))
            .ToList();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", errors), nameof(rules));
        }

        Rules = rules;
        Thresholds = thresholds;
        Version = ComputeVersion(rules, thresholds);
    }

    /// <summary>The default rules (auth paths, migrations, SQL, size, coverage, security warnings), plus the agent-habit rules; <see cref="DefaultYaml"/> is the same set as YAML.</summary>
    public static RiskRuleSet Default { get; } = new(
        [
            new RiskRule("security-paths", "Touches authentication or security code", 40, RiskCondition.PathMatches, DefaultSecurityPaths),
            new RiskRule("migrations", "Changes the database schema (migrations)", 30, RiskCondition.MigrationChange, DefaultMigrationPaths),
            new RiskRule("sql-queries", "Changes SQL queries", 20, RiskCondition.SqlQueryChange),
            new RiskRule("large-change", "More than 500 changed lines", 15, RiskCondition.ChangedLinesAbove, Threshold: 500),
            new RiskRule("low-coverage", "Test coverage below 80%", 25, RiskCondition.CoverageBelow, Threshold: 80),
            new RiskRule("security-findings", "Security scanner reported warnings", 35, RiskCondition.SecurityFindings, MinimumSeverity: FindingSeverity.Low),
            new RiskRule("secrets", "Adds a secret (known token format or high-entropy string)", 50, RiskCondition.AgentFinding, Finding: AgentFindingKind.Secret),
            new RiskRule("new-dependencies", "Adds a dependency or changes a lock file", 10, RiskCondition.AgentFinding, Finding: AgentFindingKind.NewDependency),
            new RiskRule("weakened-tests", "Deletes, skips or removes assertions from tests", 25, RiskCondition.AgentFinding, Finding: AgentFindingKind.WeakenedTest),
            new RiskRule("out-of-scope", "Changes files the prompt did not name", 10, RiskCondition.AgentFinding, Finding: AgentFindingKind.OutOfScope),
        ],
        TierThresholds.Default);

    public IReadOnlyList<RiskRule> Rules { get; }

    public TierThresholds Thresholds { get; }

    public string Version { get; }

    /// <summary>
    /// The fields of a rule that its condition uses, in canonical order, with their canonical values
    /// (string, int, or list of strings). The version hash and <see cref="ToYaml"/> both read this.
    /// </summary>
    internal static IEnumerable<(string Key, object Value)> CanonicalFields(RiskRule rule)
    {
        yield return ("id", rule.Id);
        yield return ("description", rule.Description);
        yield return ("weight", rule.Weight);
        yield return ("condition", rule.Condition.ToString());
        switch (rule.Condition)
        {
            case RiskCondition.PathMatches or RiskCondition.MigrationChange when rule.Paths is { Count: > 0 }:
                yield return ("paths", rule.Paths);
                break;
            case RiskCondition.ChangedLinesAbove or RiskCondition.CoverageBelow when rule.Threshold is { } threshold:
                yield return ("threshold", threshold);
                break;
            case RiskCondition.SecurityFindings:
                yield return ("minimumSeverity", rule.MinimumSeverity.ToString());
                break;
            case RiskCondition.AgentFinding when rule.Finding is { } finding:
                yield return ("finding", finding.ToString());
                break;
        }
    }

    private static string ComputeVersion(IReadOnlyList<RiskRule> rules, TierThresholds thresholds)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("rules");
            foreach (var rule in rules)
            {
                json.WriteStartObject();
                foreach (var (key, value) in CanonicalFields(rule))
                {
                    json.WritePropertyName(key);
                    JsonSerializer.Serialize(json, value);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartObject("tiers");
            json.WriteNumber("medium", thresholds.Medium);
            json.WriteNumber("high", thresholds.High);
            json.WriteNumber("critical", thresholds.Critical);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return "rs-" + Convert.ToHexStringLower(SHA256.HashData(buffer.WrittenSpan))[..12];
    }
}
