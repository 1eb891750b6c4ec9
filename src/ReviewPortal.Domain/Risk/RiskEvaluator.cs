using ReviewPortal.Domain.AgentHabits;
using ReviewPortal.Domain.Diff;

namespace ReviewPortal.Domain.Risk;

/// <summary>Scores one revision of a change against a rule set, keeping for each rule that fired why it fired.</summary>
public static class RiskEvaluator
{
    /// <summary>Evidence kept per rule; enough to show a reviewer where to look without storing whole diffs twice.</summary>
    public const int MaxEvidencePerRule = 20;

    public static RiskAssessment Evaluate(RiskRuleSet ruleSet, RiskInput input)
    {
        ArgumentNullException.ThrowIfNull(ruleSet);
        ArgumentNullException.ThrowIfNull(input);

        // The agent-habit checks run once per evaluation, and only when a rule asks for them.
        var agentFindings = new Lazy<IReadOnlyList<AgentFinding>>(() => AgentHabitChecks.Run(input.Files, input.Prompt));
        var contributions = new List<RuleContribution>();
        foreach (var rule in ruleSet.Rules)
        {
            var evidence = Evidence(rule, input, agentFindings).Take(MaxEvidencePerRule).ToList();
            if (evidence.Count > 0)
            {
                contributions.Add(new RuleContribution(rule.Id, rule.Description, rule.Weight, evidence));
            }
        }

        var score = contributions.Sum(c => c.Points);
        return new RiskAssessment(score, ruleSet.Thresholds.TierFor(score), ruleSet.Version, contributions);
    }

    private static IEnumerable<RuleEvidence> Evidence(RiskRule rule, RiskInput input, Lazy<IReadOnlyList<AgentFinding>> agentFindings) => rule.Condition switch
    {
        RiskCondition.PathMatches => PathEvidence(rule, input.Files),
        RiskCondition.MigrationChange => MigrationEvidence(rule, input.Files),
        RiskCondition.SqlQueryChange => LineEvidence(input.Files, SqlDetection.IsQuery),
        RiskCondition.ChangedLinesAbove => input.ChangedLineCount > (rule.Threshold ?? int.MaxValue)
            ? [new RuleEvidence(null, null, $"{input.ChangedLineCount} changed lines (threshold {rule.Threshold})")]
            : [],
        RiskCondition.CoverageBelow => input.CoveragePercent is { } coverage && coverage < (rule.Threshold ?? 0)
            ? [new RuleEvidence(null, null, $"coverage {coverage:0.#}% (threshold {rule.Threshold}%)")]
            : [],
        RiskCondition.SecurityFindings => (input.Findings ?? [])
            .Where(f => f.Severity >= rule.MinimumSeverity)
            .Select(f => new RuleEvidence(f.Path, null, $"{f.Severity}: {f.Title}")),
        RiskCondition.AgentFinding => agentFindings.Value
            .Where(f => f.Kind == rule.Finding)
            .Select(f => new RuleEvidence(f.Path, f.Line, f.Detail)),
        _ => [],
    };

    private static IEnumerable<RuleEvidence> PathEvidence(RiskRule rule, IReadOnlyList<FileLineChanges> files)
    {
        var matchingGlob = GlobMatcher(rule);
        foreach (var file in files)
        {
            if (matchingGlob(file.Path) is { } match)
            {
                yield return new RuleEvidence(file.Path, null, $"matches {match.Pattern}");
            }
        }
    }

    private static IEnumerable<RuleEvidence> MigrationEvidence(RiskRule rule, IReadOnlyList<FileLineChanges> files)
    {
        var matchingGlob = GlobMatcher(rule);
        foreach (var file in files)
        {
            if (matchingGlob(file.Path) is { } match)
            {
                yield return new RuleEvidence(file.Path, null, $"matches {match.Pattern}");
                continue;
            }

            if (file.Path.EndsWith(".sql", StringComparison.OrdinalIgnoreCase))
            {
                var ddl = file.Added.Concat(file.Removed).FirstOrDefault(l => SqlDetection.IsDdl(l.Text));
                if (ddl is not null)
                {
                    yield return new RuleEvidence(file.Path, ddl.Number, "DDL: " + Shorten(ddl.Text));
                }
            }
        }
    }

    /// <summary>The rule's first glob that matches a path, or null; the globs are compiled once per evaluation.</summary>
    private static Func<string, GlobPattern?> GlobMatcher(RiskRule rule)
    {
        var globs = (rule.Paths ?? []).Select(p => new GlobPattern(p)).ToList();
        return path => globs.FirstOrDefault(g => g.IsMatch(path));
    }

    private static IEnumerable<RuleEvidence> LineEvidence(IReadOnlyList<FileLineChanges> files, Func<string, bool> predicate)
    {
        foreach (var file in files)
        {
            foreach (var line in file.Added.Where(l => predicate(l.Text)))
            {
                yield return new RuleEvidence(file.Path, line.Number, "+ " + Shorten(line.Text));
            }

            foreach (var line in file.Removed.Where(l => predicate(l.Text)))
            {
                yield return new RuleEvidence(file.Path, line.Number, "- " + Shorten(line.Text));
            }
        }
    }

    /// <summary>A changed line as evidence: secrets on it are masked first (evidence is shown and stored), then it is cut to size.</summary>
    private static string Shorten(string text)
    {
        var trimmed = SecretScanner.Redact(text).Trim();
        return trimmed.Length <= 160 ? trimmed : trimmed[..157] + "...";
    }
}
