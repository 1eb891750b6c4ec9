using FsCheck;
using FsCheck.Fluent;
using ReviewPortal.Domain.AgentHabits;
using ReviewPortal.Domain.Risk;

namespace ReviewPortal.Domain.Tests.Risk;

/// <summary>The YAML form holds every valid rule set exactly, and no text makes the reader throw.</summary>
public sealed class RiskRuleSetYamlProperties
{
    // Characters that YAML treats specially, plus letters beyond ASCII, so descriptions exercise quoting.
    private static readonly char[] DescriptionChars = "abcXYZ 019:#-*&!|>'\"%@`{}[],?~\\/é中ß".ToCharArray();
    private static readonly string[] PathSegments = ["**", "*", "src", "auth", "*.cs", "a?c", "My Dir", "*Token*.*", "migrations", "db"];

    private static Gen<string> Descriptions() =>
        Gen.ArrayOf(Gen.Elements(DescriptionChars)).Select(cs => new string(cs)).Where(d => !string.IsNullOrWhiteSpace(d) && d.Length <= 300);

    private static Gen<IReadOnlyList<string>> Paths() =>
        Gen.NonEmptyListOf(Gen.NonEmptyListOf(Gen.Elements(PathSegments)).Select(s => string.Join('/', s)))
            .Select(ps => (IReadOnlyList<string>)ps.Where(p => GlobPattern.FindProblem(p) is null).ToList())
            .Where(ps => ps.Count > 0);

    private static Gen<RiskRule> Rule(int index) =>
        from description in Descriptions()
        from weight in Gen.Choose(-100, 100)
        from condition in Gen.Elements(Enum.GetValues<RiskCondition>())
        from paths in Paths()
        from threshold in Gen.Choose(0, 100)
        from severity in Gen.Elements(Enum.GetValues<FindingSeverity>())
        from finding in Gen.Elements(Enum.GetValues<AgentFindingKind>())
        select condition switch
        {
            RiskCondition.PathMatches or RiskCondition.MigrationChange => new RiskRule($"rule-{index}", description, weight, condition, paths),
            RiskCondition.ChangedLinesAbove or RiskCondition.CoverageBelow => new RiskRule($"rule-{index}", description, weight, condition, Threshold: threshold),
            RiskCondition.SecurityFindings => new RiskRule($"rule-{index}", description, weight, condition, MinimumSeverity: severity),
            RiskCondition.AgentFinding => new RiskRule($"rule-{index}", description, weight, condition, Finding: finding),
            _ => new RiskRule($"rule-{index}", description, weight, condition),
        };

    private static Arbitrary<RiskRuleSet> RuleSets() =>
        (from count in Gen.Choose(0, 8)
         from rules in Gen.CollectToList(Enumerable.Range(0, count).Select(Rule))
         from medium in Gen.Choose(-50, 50)
         from highStep in Gen.Choose(1, 50)
         from criticalStep in Gen.Choose(1, 50)
         select new RiskRuleSet(rules.ToList(), new TierThresholds(medium, medium + highStep, medium + highStep + criticalStep)))
        .ToArbitrary();

    private static bool SameRules(RiskRuleSet a, RiskRuleSet b) =>
        a.Thresholds == b.Thresholds
        && a.Rules.Count == b.Rules.Count
        && a.Rules.Zip(b.Rules).All(p =>
            p.First.Id == p.Second.Id && p.First.Description == p.Second.Description && p.First.Weight == p.Second.Weight
            && p.First.Condition == p.Second.Condition && p.First.Threshold == p.Second.Threshold && p.First.Finding == p.Second.Finding
            && p.First.MinimumSeverity == p.Second.MinimumSeverity
            && (p.First.Paths ?? []).SequenceEqual(p.Second.Paths ?? [], StringComparer.Ordinal));

    [Fact]
    public void Reading_the_canonical_yaml_gives_the_same_rules_and_version() =>
        Prop.ForAll(RuleSets(), set =>
        {
            var parsed = RiskRuleSet.FromYaml(set.ToYaml());
            return parsed.IsValid && parsed.RuleSet.Version == set.Version && SameRules(parsed.RuleSet, set);
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Arbitrary_text_never_makes_the_reader_throw() =>
        Prop.ForAll(ArbMap.Default.ArbFor<string>(), text =>
        {
            var result = RiskRuleSet.FromYaml(text);
            return result.IsValid || result.Errors.Count > 0;
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Truncated_or_spliced_default_yaml_never_makes_the_reader_throw()
    {
        var yaml = RiskRuleSet.DefaultYaml;
        var edits =
            from start in Gen.Choose(0, yaml.Length)
            from length in Gen.Choose(0, 40)
            from insert in Gen.Elements("", ":", "- ", "\n", "  ", "[", "{", "*a", "&a ", "'", "\"", "#", "\t", "? ", "!!int ", "---\n", "%YAML 1.1\n")
            from truncate in Gen.Choose(0, yaml.Length)
            let spliced = yaml[..start] + insert + yaml[Math.Min(yaml.Length, start + length)..]
            select spliced[..Math.Min(truncate, spliced.Length)];

        Prop.ForAll(edits.ToArbitrary(), text =>
        {
            var result = RiskRuleSet.FromYaml(text);
            return result.IsValid ? result.Errors.Count == 0 : result.Errors.Count > 0;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(3000)); // more cases than usual: this is how a parser bug was found
    }
}
