using System.Text.RegularExpressions;
using ReviewPortal.Domain.AgentHabits;

namespace ReviewPortal.Domain.Risk;

/// <summary>
/// What makes a rule set valid, shared by the constructor (which throws) and the YAML reader (which reports).
/// Fields a condition does not use are ignored here; the YAML reader reports them, since there they are
/// a sign of a typo or a misunderstanding.
/// </summary>
internal static partial class RuleValidation
{
    public const int MinimumWeight = -100;
    public const int MaximumWeight = 100;
    public const int MaximumDescriptionLength = 300;

    /// <summary>Problems with one rule; <paramref name="lineOf"/> gives the line of a field, or of the rule when the field is absent.</summary>
    public static IEnumerable<RuleSetError> Validate(RiskRule rule, Func<string, int?> lineOf) =>
        ValidateCommon(rule, lineOf).Concat(ValidateCondition(rule, lineOf));

    /// <summary>Problems with the fields every rule has: id, description and weight.</summary>
    public static IEnumerable<RuleSetError> ValidateCommon(RiskRule rule, Func<string, int?> lineOf)
    {
        var id = string.IsNullOrWhiteSpace(rule.Id) ? null : rule.Id;
        RuleSetError Error(string field, string message) => new(message, id, lineOf(field));

        if (id is null)
        {
            yield return Error("id", "the rule has no id; give it a short name such as 'security-paths'");
        }
        else if (!IdRegex().IsMatch(id))
        {
            yield return Error("id", "the id may use only letters, digits, '.', '_' and '-' (at most 64, starting with a letter or digit)");
        }

        if (string.IsNullOrWhiteSpace(rule.Description))
        {
            yield return Error("description", "the rule has no description; reviewers see it next to the points");
        }
        else if (rule.Description.Any(char.IsControl) || rule.Description.Length > MaximumDescriptionLength)
        {
            yield return Error("description", $"the description must be one line of at most {MaximumDescriptionLength} characters");
        }

        if (rule.Weight is < MinimumWeight or > MaximumWeight)
        {
            yield return Error("weight", $"weight {rule.Weight} is outside {MinimumWeight}..{MaximumWeight}");
        }
    }

    /// <summary>Problems with the fields the rule's condition reads.</summary>
    public static IEnumerable<RuleSetError> ValidateCondition(RiskRule rule, Func<string, int?> lineOf)
    {
        var id = string.IsNullOrWhiteSpace(rule.Id) ? null : rule.Id;
        return ValidateCondition(rule, (field, message) => new RuleSetError(message, id, lineOf(field)));
    }

    public static IEnumerable<RuleSetError> Validate(TierThresholds thresholds, int? line)
    {
        if (thresholds is null)
        {
            yield return new RuleSetError("tiers are missing; give medium, high and critical scores", Line: line);
        }
        else if (!(thresholds.Medium < thresholds.High && thresholds.High < thresholds.Critical))
        {
            yield return new RuleSetError(
                $"tier scores must rise strictly: medium ({thresholds.Medium}) < high ({thresholds.High}) < critical ({thresholds.Critical})", Line: line);
        }
    }

    public static IEnumerable<RuleSetError> DuplicateIds(IEnumerable<(string Id, int? Line)> rules) =>
        rules.Where(r => !string.IsNullOrWhiteSpace(r.Id))
            .GroupBy(r => r.Id, StringComparer.OrdinalIgnoreCase)
            .Where(g => g.Count() > 1)
            .SelectMany(g => g.Skip(1).Select(r => new RuleSetError($"rule id '{g.Key}' is used more than once (ids are compared ignoring case)", r.Id, r.Line)));

    /// <summary>The fields each condition reads, besides id, description, weight and condition.</summary>
    public static IReadOnlyList<string> FieldsOf(RiskCondition condition) => condition switch
    {
        RiskCondition.PathMatches or RiskCondition.MigrationChange => ["paths"],
        RiskCondition.ChangedLinesAbove or RiskCondition.CoverageBelow => ["threshold"],
        RiskCondition.SecurityFindings => ["minimumSeverity"],
        RiskCondition.AgentFinding => ["finding"],
        _ => [],
    };

    private static IEnumerable<RuleSetError> ValidateCondition(RiskRule rule, Func<string, string, RuleSetError> error)
    {
        switch (rule.Condition)
        {
            case RiskCondition.PathMatches when rule.Paths is not { Count: > 0 }:
                yield return error("paths", "condition PathMatches needs 'paths', a list of path patterns such as '**/auth/**'");
                break;
            case RiskCondition.PathMatches or RiskCondition.MigrationChange:
                foreach (var problem in (rule.Paths ?? []).Select(GlobPattern.FindProblem).OfType<string>())
                {
                    yield return error("paths", problem);
                }

                break;
            case RiskCondition.ChangedLinesAbove when rule.Threshold is null:
            case RiskCondition.CoverageBelow when rule.Threshold is null:
                yield return error("threshold", $"condition {rule.Condition} needs a 'threshold'");
                break;
            case RiskCondition.ChangedLinesAbove when rule.Threshold < 0:
                yield return error("threshold", $"threshold {rule.Threshold} must not be negative (it counts changed lines)");
                break;
            case RiskCondition.CoverageBelow when rule.Threshold is < 0 or > 100:
                yield return error("threshold", $"threshold {rule.Threshold} must be a percentage between 0 and 100");
                break;
            case RiskCondition.SecurityFindings when !Enum.IsDefined(rule.MinimumSeverity):
                yield return error("minimumSeverity", $"unknown severity {(int)rule.MinimumSeverity}");
                break;
            case RiskCondition.AgentFinding when rule.Finding is null:
                yield return error("finding", $"condition AgentFinding needs a 'finding': one of {string.Join(", ", Enum.GetNames<AgentFindingKind>())}");
                break;
            case RiskCondition.AgentFinding when !Enum.IsDefined(rule.Finding.Value):
                yield return error("finding", $"unknown finding kind {(int)rule.Finding.Value}");
                break;
            case var condition when !Enum.IsDefined(condition):
                yield return error("condition", $"unknown condition {(int)condition}");
                break;
        }
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: RegexLimits.TimeoutMilliseconds)]
    private static partial Regex IdRegex();
}
