using System.Globalization;
using ReviewPortal.Domain.AgentHabits;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace ReviewPortal.Domain.Risk;

/// <summary>
/// Reads the YAML form of a rule set into a <see cref="RiskRuleSet"/>, collecting every problem it can find (not
/// just the first) with the line of the offending key. Keys are matched ignoring case; condition, severity and
/// finding names ignore case and accept kebab or snake case (<c>path-matches</c>, <c>new_dependency</c>).
/// </summary>
internal static class RiskRuleSetYamlReader
{
    private static readonly string[] RuleKeys = ["id", "description", "weight", "condition", "paths", "threshold", "minimumSeverity", "finding"];
    private static readonly string[] TierKeys = ["medium", "high", "critical"];

    /// <summary>Loading YAML into nodes recurses once per level, so deep nesting ('[[[[...') is refused before it can overflow the stack.</summary>
    private const int MaximumNesting = 32;

    public static RuleSetParseResult Read(string? yaml)
    {
        if (string.IsNullOrWhiteSpace(yaml))
        {
            return Fail(new RuleSetError("the rule set is empty; it needs 'rules' and 'tiers'"));
        }

        if (yaml.Length > RiskRuleSet.MaximumYamlLength)
        {
            return Fail(new RuleSetError($"the rule set is longer than {RiskRuleSet.MaximumYamlLength} characters"));
        }

        YamlStream stream;
        try
        {
            if (NestingDeeperThan(yaml, MaximumNesting) is { } deepLine)
            {
                return Fail(new RuleSetError($"the YAML nests deeper than {MaximumNesting} levels; a rule set needs three", Line: deepLine));
            }

            stream = new YamlStream();
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException ex)
        {
            // YamlDotNet's message repeats the position; keep only what went wrong.
            var line = ex.Start.Line > 0 ? (int?)ex.Start.Line : null;
            return Fail(new RuleSetError("not valid YAML: " + (ex.InnerException?.Message ?? ex.Message), Line: line));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // YamlDotNet 16.3.0 also throws InvalidOperationException and ArgumentException on some malformed input
            // (found by the property tests, e.g. '["a"b' followed by more lines). It is still malformed input: an
            // error to report, never a crash of the admin page.
            return Fail(new RuleSetError("not valid YAML: the parser could not read it; check indentation, brackets and quotes"));
        }

        if (stream.Documents.Count != 1)
        {
            return Fail(new RuleSetError(stream.Documents.Count == 0 ? "the rule set is empty; it needs 'rules' and 'tiers'" : "expected one YAML document, found several"));
        }

        if (stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            return Fail(new RuleSetError("the rule set must be a mapping with 'rules' and 'tiers'", Line: LineOf(stream.Documents[0].RootNode)));
        }

        var errors = new List<RuleSetError>();
        var top = Fields(root, ["rules", "tiers"], null, errors);
        var rules = ReadRules(top, root, errors);
        var thresholds = ReadTiers(top, root, errors);
        if (thresholds is not null)
        {
            errors.AddRange(RuleValidation.Validate(thresholds, LineOf(top.GetValueOrDefault("tiers").Key)));
        }

        errors.AddRange(RuleValidation.DuplicateIds(rules.Select(r => (r.Id ?? string.Empty, r.Line))));
        if (errors.Count > 0 || thresholds is null)
        {
            return RuleSetParseResult.Failure(errors.OrderBy(e => e.Line ?? int.MaxValue).ToList());
        }

        return RuleSetParseResult.Success(new RiskRuleSet(rules.Select(r => r.Rule!).ToList(), thresholds));
    }

    /// <summary>Every rule entry with its id and line (for the duplicate check), and the rule itself when it is valid.</summary>
    private static List<(RiskRule? Rule, string? Id, int? Line)> ReadRules(Dictionary<string, KeyValuePair<YamlNode, YamlNode>> top, YamlMappingNode root, List<RuleSetError> errors)
    {
        var rules = new List<(RiskRule?, string?, int?)>();
        if (!top.TryGetValue("rules", out var entry))
        {
            errors.Add(new RuleSetError("'rules' is missing; list the rules under it", Line: LineOf(root)));
            return rules;
        }

        if (entry.Value is not YamlSequenceNode sequence)
        {
            errors.Add(new RuleSetError("'rules' must be a list of rules (each starting with '- id: ...')", Line: LineOf(entry.Value)));
            return rules;
        }

        var position = 0;
        foreach (var node in sequence)
        {
            position++;
            if (node is not YamlMappingNode mapping)
            {
                errors.Add(new RuleSetError($"rule {position} must be a mapping with id, description, weight and condition", Line: LineOf(node)));
                continue;
            }

            rules.Add((ReadRule(mapping, position, errors), Text(Find(mapping, "id")), LineOf(mapping)));
        }

        return rules;
    }

    /// <summary>One rule, or null when its fields cannot even be read (the errors say why).</summary>
    private static RiskRule? ReadRule(YamlMappingNode mapping, int position, List<RuleSetError> errors)
    {
        var id = Text(Find(mapping, "id"));
        var label = string.IsNullOrWhiteSpace(id) ? $"#{position}" : id;
        var fields = Fields(mapping, RuleKeys, label, errors);
        var unreadable = false;
        // A missing field is reported where it belongs: a condition's own field at the condition, others at the rule.
        int? LineOfField(string key) => fields.TryGetValue(key, out var field) ? LineOf(field.Key)
            : key is not ("id" or "description" or "weight" or "condition") && fields.TryGetValue("condition", out var condition) ? LineOf(condition.Key)
            : LineOf(mapping);
        void Error(string key, string message) => errors.Add(new RuleSetError(message, label, LineOfField(key)));

        // A field that cannot be read at all; the other fields are still checked, so the admin sees every problem at once.
        void Unreadable(string key, string message)
        {
            unreadable = true;
            Error(key, message);
        }

        var weight = 0;
        if (!fields.TryGetValue("weight", out var weightField))
        {
            Unreadable("weight", $"the rule has no weight; give a whole number of points between {RuleValidation.MinimumWeight} and {RuleValidation.MaximumWeight}");
        }
        else if (!int.TryParse(Text(weightField.Value), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out weight))
        {
            Unreadable("weight", $"weight '{Text(weightField.Value)}' is not a whole number between {RuleValidation.MinimumWeight} and {RuleValidation.MaximumWeight}");
        }

        RiskCondition? condition = null;
        if (!fields.TryGetValue("condition", out var conditionField))
        {
            Unreadable("condition", $"the rule has no condition; use one of {string.Join(", ", Enum.GetNames<RiskCondition>())}");
        }
        else
        {
            condition = ParseName<RiskCondition>(Text(conditionField.Value));
            if (condition is null)
            {
                Unreadable("condition", $"unknown condition '{Text(conditionField.Value)}'; use one of {string.Join(", ", Enum.GetNames<RiskCondition>())}");
            }
        }

        IReadOnlyList<string>? paths = null;
        if (fields.TryGetValue("paths", out var pathsField))
        {
            paths = ReadPaths(pathsField.Value, p => Unreadable("paths", p));
        }

        int? threshold = null;
        if (fields.TryGetValue("threshold", out var thresholdField))
        {
            if (int.TryParse(Text(thresholdField.Value), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            {
                threshold = value;
            }
            else
            {
                Unreadable("threshold", $"threshold '{Text(thresholdField.Value)}' is not a whole number");
            }
        }

        var severity = FindingSeverity.Low;
        if (fields.TryGetValue("minimumSeverity", out var severityField))
        {
            if (ParseName<FindingSeverity>(Text(severityField.Value)) is { } parsed)
            {
                severity = parsed;
            }
            else
            {
                Unreadable("minimumSeverity", $"unknown severity '{Text(severityField.Value)}'; use one of {string.Join(", ", Enum.GetNames<FindingSeverity>())}");
            }
        }

        AgentFindingKind? finding = null;
        if (fields.TryGetValue("finding", out var findingField))
        {
            finding = ParseName<AgentFindingKind>(Text(findingField.Value));
            if (finding is null)
            {
                Unreadable("finding", $"unknown finding '{Text(findingField.Value)}'; use one of {string.Join(", ", Enum.GetNames<AgentFindingKind>())}");
            }
        }

        if (condition is { } known)
        {
            // A field the condition ignores is almost always a typo in the condition or a misplaced line.
            foreach (var extra in new[] { "paths", "threshold", "minimumSeverity", "finding" }.Where(k => fields.ContainsKey(k) && !RuleValidation.FieldsOf(known).Contains(k, StringComparer.Ordinal)))
            {
                Error(extra, $"'{extra}' does not apply to condition {known}");
            }
        }

        var description = Text(fields.GetValueOrDefault("description").Value) ?? string.Empty;
        var rule = new RiskRule(id ?? string.Empty, description, weight, condition ?? RiskCondition.SqlQueryChange, paths, threshold, severity, finding);
        var problems = RuleValidation.ValidateCommon(rule, LineOfField).ToList();
        if (condition is not null && !unreadable)
        {
            problems.AddRange(RuleValidation.ValidateCondition(rule, LineOfField));
        }

        errors.AddRange(problems.Select(p => p with { RuleId = p.RuleId ?? label }));
        return problems.Count == 0 && !unreadable && condition is not null ? rule : null;
    }

    private static List<string>? ReadPaths(YamlNode node, Action<string> error)
    {
        if (node is YamlScalarNode single && !string.IsNullOrEmpty(single.Value))
        {
            return [single.Value];
        }

        if (node is not YamlSequenceNode sequence)
        {
            error("'paths' must be a list of path patterns, e.g. [\"**/auth/**\"]");
            return null;
        }

        var paths = new List<string>();
        foreach (var item in sequence)
        {
            if (item is YamlScalarNode { Value: { } value })
            {
                paths.Add(value);
            }
            else
            {
                error("each entry of 'paths' must be a path pattern (quote patterns that start with '*')");
            }
        }

        return paths;
    }

    private static TierThresholds? ReadTiers(Dictionary<string, KeyValuePair<YamlNode, YamlNode>> top, YamlMappingNode root, List<RuleSetError> errors)
    {
        if (!top.TryGetValue("tiers", out var entry))
        {
            errors.Add(new RuleSetError("'tiers' is missing; give the lowest score of each tier, e.g. tiers: {medium: 20, high: 40, critical: 70}", Line: LineOf(root)));
            return null;
        }

        if (entry.Value is not YamlMappingNode mapping)
        {
            errors.Add(new RuleSetError("'tiers' must be a mapping such as {medium: 20, high: 40, critical: 70}", Line: LineOf(entry.Value)));
            return null;
        }

        var fields = Fields(mapping, TierKeys, null, errors);
        var scores = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var key in TierKeys)
        {
            if (!fields.TryGetValue(key, out var field))
            {
                errors.Add(new RuleSetError($"'tiers' has no '{key}' score", Line: LineOf(mapping)));
            }
            else if (int.TryParse(Text(field.Value), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var score))
            {
                scores[key] = score;
            }
            else
            {
                errors.Add(new RuleSetError($"tier score {key} '{Text(field.Value)}' is not a whole number", Line: LineOf(field.Key)));
            }
        }

        return scores.Count == TierKeys.Length ? new TierThresholds(scores["medium"], scores["high"], scores["critical"]) : null;
    }

    /// <summary>The mapping's entries by canonical key; unknown and repeated keys are reported.</summary>
    private static Dictionary<string, KeyValuePair<YamlNode, YamlNode>> Fields(YamlMappingNode mapping, string[] known, string? ruleId, List<RuleSetError> errors)
    {
        var fields = new Dictionary<string, KeyValuePair<YamlNode, YamlNode>>(StringComparer.Ordinal);
        foreach (var entry in mapping.Children)
        {
            var name = Text(entry.Key);
            var key = known.FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase));
            if (key is null)
            {
                errors.Add(new RuleSetError($"unknown key '{name}'; expected one of {string.Join(", ", known)}", ruleId, LineOf(entry.Key)));
            }
            else if (!fields.TryAdd(key, entry))
            {
                errors.Add(new RuleSetError($"'{key}' is given more than once", ruleId, LineOf(entry.Key)));
            }
        }

        return fields;
    }

    /// <summary>The line where nesting first exceeds the limit, or null. The event parser keeps its own stack, so this pass cannot overflow.</summary>
    private static int? NestingDeeperThan(string yaml, int limit)
    {
        var parser = new Parser(new StringReader(yaml));
        var depth = 0;
        while (parser.MoveNext())
        {
            switch (parser.Current)
            {
                case MappingStart or SequenceStart:
                    if (++depth > limit)
                    {
                        return (int)parser.Current.Start.Line;
                    }

                    break;
                case MappingEnd or SequenceEnd:
                    depth--;
                    break;
            }
        }

        return null;
    }

    private static YamlNode? Find(YamlMappingNode mapping, string key) =>
        mapping.Children.FirstOrDefault(e => string.Equals(Text(e.Key), key, StringComparison.OrdinalIgnoreCase)).Value;

    /// <summary>A scalar's text; null for a missing node or a list/mapping where a single value belongs.</summary>
    private static string? Text(YamlNode? node) => node is YamlScalarNode scalar ? scalar.Value : null;

    private static int? LineOf(YamlNode? node) => node is null || node.Start.Line <= 0 ? null : (int)node.Start.Line;

    /// <summary>An enum value by name, ignoring case, '-' and '_'; numbers are refused so "3" is not a condition.</summary>
    private static T? ParseName<T>(string? text)
        where T : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var wanted = text.Replace("-", string.Empty, StringComparison.Ordinal).Replace("_", string.Empty, StringComparison.Ordinal).Trim();
        foreach (var value in Enum.GetValues<T>())
        {
            if (string.Equals(value.ToString(), wanted, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        return null;
    }

    private static RuleSetParseResult Fail(RuleSetError error) => RuleSetParseResult.Failure([error]);
}
