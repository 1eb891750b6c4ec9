using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace ReviewPortal.Domain.Risk;

/// <summary>Reading and writing rule sets as YAML, the form admins edit.</summary>
public sealed partial class RiskRuleSet
{
    /// <summary>Larger texts are refused before parsing: a rule set is a page, not a megabyte.</summary>
    public const int MaximumYamlLength = 256 * 1024;

    /// <summary>The default rule set (<see cref="Default"/>) as YAML, with comments for the admin who edits it.</summary>
    public const string DefaultYaml = """
        # ReviewPortal risk rules. Each rule that fires adds its weight (-100..100) to the score;
        # the tiers give the lowest score of MEDIUM, HIGH and CRITICAL (strictly increasing).
        # Conditions: PathMatches (paths), MigrationChange (paths, or SQL files with DDL), SqlQueryChange,
        # ChangedLinesAbove (threshold), CoverageBelow (threshold, percent), SecurityFindings (minimumSeverity:
        # Info, Low, Medium, High, Critical), AgentFinding (finding: Secret, NewDependency, WeakenedTest, OutOfScope).
        rules:
          - id: security-paths
            description: Touches authentication or security code
            weight: 40
            condition: PathMatches
            paths: ["**/auth/**", "**/security/**", "**/identity/**", "**/crypto/**", "**/*Auth*.*", "**/*Token*.*"]
          - id: migrations
            description: Changes the database schema (migrations)
            weight: 30
            condition: MigrationChange
            paths: ["**/migrations/**"]
          - id: sql-queries
            description: Changes SQL queries
            weight: 20
            condition: SqlQueryChange
          - id: large-change
            description: More than 500 changed lines
            weight: 15
            condition: ChangedLinesAbove
            threshold: 500
          - id: low-coverage
            description: Test coverage below 80%
            weight: 25
            condition: CoverageBelow
            threshold: 80
          - id: security-findings
            description: Security scanner reported warnings
            weight: 35
            condition: SecurityFindings
            minimumSeverity: Low
          # Agent habits: secrets, new dependencies, weakened tests, files outside the prompt's scope.
          - id: secrets
            description: Adds a secret (known token format or high-entropy string)
            weight: 50
            condition: AgentFinding
            finding: Secret
          - id: new-dependencies
            description: Adds a dependency or changes a lock file
            weight: 10
            condition: AgentFinding
            finding: NewDependency
          - id: weakened-tests
            description: Deletes, skips or removes assertions from tests
            weight: 25
            condition: AgentFinding
            finding: WeakenedTest
          - id: out-of-scope
            description: Changes files the prompt did not name
            weight: 10
            condition: AgentFinding
            finding: OutOfScope
        tiers: {medium: 20, high: 40, critical: 70}

        """;

    /// <summary>Reads a rule set from YAML. Never throws: malformed or invalid input gives errors with the rule id and line where known.</summary>
    public static RuleSetParseResult FromYaml(string? yaml) => RiskRuleSetYamlReader.Read(yaml);

    /// <summary>The canonical YAML of this rule set: the fields each condition uses, in a fixed order, no comments.</summary>
    public string ToYaml()
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        var emitter = new Emitter(text);
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart(null, null, isImplicit: true));
        emitter.Emit(new MappingStart(null, null, isImplicit: true, MappingStyle.Block));
        Scalar(emitter, "rules");
        emitter.Emit(new SequenceStart(null, null, isImplicit: true, SequenceStyle.Block));
        foreach (var rule in Rules)
        {
            emitter.Emit(new MappingStart(null, null, isImplicit: true, MappingStyle.Block));
            foreach (var (key, value) in CanonicalFields(rule))
            {
                Scalar(emitter, key);
                switch (value)
                {
                    case IReadOnlyList<string> paths:
                        emitter.Emit(new SequenceStart(null, null, isImplicit: true, SequenceStyle.Block));
                        foreach (var path in paths)
                        {
                            // Quoted, since a pattern such as "**/auth/**" would read as a YAML alias.
                            Scalar(emitter, path, ScalarStyle.DoubleQuoted);
                        }

                        emitter.Emit(new SequenceEnd());
                        break;
                    case int number:
                        Scalar(emitter, number.ToString(CultureInfo.InvariantCulture));
                        break;
                    default:
                        Scalar(emitter, (string)value);
                        break;
                }
            }

            emitter.Emit(new MappingEnd());
        }

        emitter.Emit(new SequenceEnd());
        Scalar(emitter, "tiers");
        emitter.Emit(new MappingStart(null, null, isImplicit: true, MappingStyle.Flow));
        foreach (var (key, score) in new[] { ("medium", Thresholds.Medium), ("high", Thresholds.High), ("critical", Thresholds.Critical) })
        {
            Scalar(emitter, key);
            Scalar(emitter, score.ToString(CultureInfo.InvariantCulture));
        }

        emitter.Emit(new MappingEnd());
        emitter.Emit(new MappingEnd());
        emitter.Emit(new DocumentEnd(isImplicit: true));
        emitter.Emit(new StreamEnd());
        return text.ToString();
    }

    private static void Scalar(IEmitter emitter, string value, ScalarStyle style = ScalarStyle.Any) =>
        emitter.Emit(new Scalar(null, null, value, style, isPlainImplicit: true, isQuotedImplicit: true));
}
