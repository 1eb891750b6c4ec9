using ReviewPortal.Domain.AgentHabits;
using ReviewPortal.Domain.Risk;

namespace ReviewPortal.Domain.Tests.Risk;

public sealed class RiskRuleSetYamlTests
{
    private const string OneRule = """
        rules:
          - id: sql
            description: Changes SQL queries
            weight: 20
            condition: SqlQueryChange
        tiers: {medium: 20, high: 40, critical: 70}
        """;

    private static IReadOnlyList<RuleSetError> Errors(string yaml)
    {
        var result = RiskRuleSet.FromYaml(yaml);
        Assert.False(result.IsValid);
        Assert.Null(result.RuleSet);
        Assert.NotEmpty(result.Errors);
        return result.Errors;
    }

    [Fact]
    public void The_default_yaml_is_the_default_rule_set()
    {
        var result = RiskRuleSet.FromYaml(RiskRuleSet.DefaultYaml);

        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Equal(RiskRuleSet.Default.Version, result.RuleSet.Version);
        Assert.Equal(RiskRuleSet.Default.ToYaml(), result.RuleSet.ToYaml());
        Assert.Equal(RiskRuleSet.Default.Thresholds, result.RuleSet.Thresholds);
    }

    [Fact]
    public void The_default_rules_keep_the_product_weights_and_add_the_agent_habit_rules()
    {
        Assert.Equal(
            [("security-paths", 40), ("migrations", 30), ("sql-queries", 20), ("large-change", 15), ("low-coverage", 25), ("security-findings", 35),
             ("secrets", 50), ("new-dependencies", 10), ("weakened-tests", 25), ("out-of-scope", 10)],
            RiskRuleSet.Default.Rules.Select(r => (r.Id, r.Weight)));
        Assert.Equal(
            [AgentFindingKind.Secret, AgentFindingKind.NewDependency, AgentFindingKind.WeakenedTest, AgentFindingKind.OutOfScope],
            RiskRuleSet.Default.Rules.Where(r => r.Condition == RiskCondition.AgentFinding).Select(r => r.Finding!.Value));
    }

    [Fact]
    public void Reformatting_reordering_keys_and_comments_keep_the_version_but_a_weight_change_does_not()
    {
        const string reformatted = """
            # the same rule, written differently
            tiers:
              critical: 70
              medium: 20
              high: 40
            rules:
              - Condition: sql-query-change   # kebab case and key case are accepted
                WEIGHT: 20
                description: "Changes SQL queries"
                id: 'sql'
            """;
        var original = RiskRuleSet.FromYaml(OneRule).RuleSet!;

        Assert.Equal(original.Version, RiskRuleSet.FromYaml(reformatted).RuleSet!.Version);
        Assert.NotEqual(original.Version, RiskRuleSet.FromYaml(OneRule.Replace("weight: 20", "weight: 21", StringComparison.Ordinal)).RuleSet!.Version);
        Assert.NotEqual(original.Version, RiskRuleSet.FromYaml(OneRule.Replace("high: 40", "high: 41", StringComparison.Ordinal)).RuleSet!.Version);
    }

    [Fact]
    public void Canonical_yaml_writes_only_the_fields_a_condition_uses_in_a_fixed_order()
    {
        var set = new RiskRuleSet(
            [
                new RiskRule("paths", "Auth: login & tokens", 40, RiskCondition.PathMatches, ["**/auth/**"], Threshold: 7),
                new RiskRule("deps", "New packages", -5, RiskCondition.AgentFinding, Finding: AgentFindingKind.NewDependency),
            ],
            new TierThresholds(10, 20, 30));

        Assert.Equal(
            """
            rules:
            - id: paths
              description: 'Auth: login & tokens'
              weight: 40
              condition: PathMatches
              paths:
              - "**/auth/**"
            - id: deps
              description: New packages
              weight: -5
              condition: AgentFinding
              finding: NewDependency
            tiers: {medium: 10, high: 20, critical: 30}

            """,
            set.ToYaml());
    }

    [Theory]
    [InlineData("weight: 20", "weight: 4.5", 4, "weight '4.5' is not a whole number between -100 and 100")]
    [InlineData("weight: 20", "weight: 101", 4, "weight 101 is outside -100..100")]
    [InlineData("weight: 20", "weight: -101", 4, "weight -101 is outside -100..100")]
    [InlineData("    weight: 20\n", "", 2, "the rule has no weight; give a whole number of points between -100 and 100")]
    [InlineData("condition: SqlQueryChange", "condition: SqlQueries", 5, "unknown condition 'SqlQueries'; use one of PathMatches, MigrationChange, SqlQueryChange, ChangedLinesAbove, CoverageBelow, SecurityFindings, AgentFinding")]
    [InlineData("condition: SqlQueryChange", "condition: '3'", 5, "unknown condition '3'")]
    [InlineData("condition: SqlQueryChange", "condition: ChangedLinesAbove", 5, "condition ChangedLinesAbove needs a 'threshold'")]
    [InlineData("condition: SqlQueryChange", "condition: CoverageBelow\n    threshold: 101", 6, "threshold 101 must be a percentage between 0 and 100")]
    [InlineData("condition: SqlQueryChange", "condition: PathMatches", 5, "condition PathMatches needs 'paths', a list of path patterns such as '**/auth/**'")]
    [InlineData("condition: SqlQueryChange", "condition: PathMatches\n    paths: ['src/**x/*.cs']", 6, "'**' must be a whole folder")]
    [InlineData("condition: SqlQueryChange", "condition: MigrationChange\n    paths: ['db/*.{sql,cs}']", 6, "braces or negation, which are not supported")]
    [InlineData("condition: SqlQueryChange", "condition: SecurityFindings\n    minimumSeverity: Severe", 6, "unknown severity 'Severe'; use one of Info, Low, Medium, High, Critical")]
    [InlineData("condition: SqlQueryChange", "condition: AgentFinding", 5, "condition AgentFinding needs a 'finding': one of Secret, NewDependency, WeakenedTest, OutOfScope")]
    [InlineData("condition: SqlQueryChange", "condition: AgentFinding\n    finding: Secrets", 6, "unknown finding 'Secrets'")]
    [InlineData("condition: SqlQueryChange", "condition: SqlQueryChange\n    threshold: 5", 6, "'threshold' does not apply to condition SqlQueryChange")]
    [InlineData("condition: SqlQueryChange", "condition: SqlQueryChange\n    wieght: 5", 6, "unknown key 'wieght'")]
    [InlineData("description: Changes SQL queries", "description: ''", 3, "the rule has no description")]
    public void Rule_errors_name_the_rule_and_the_line(string find, string replace, int line, string message)
    {
        var error = Assert.Single(Errors(OneRule.Replace(find, replace, StringComparison.Ordinal)));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal("sql", error.RuleId);
        Assert.Equal(line, error.Line);
        Assert.StartsWith($"line {line}, rule 'sql': ", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_rule_without_an_id_is_named_by_its_position()
    {
        var error = Assert.Single(Errors(OneRule.Replace("  - id: sql\n    description", "  - description", StringComparison.Ordinal)));

        Assert.Equal("#1", error.RuleId);
        Assert.Contains("the rule has no id", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_ids_are_reported_on_the_second_rule_ignoring_case()
    {
        var yaml = OneRule.Replace("tiers:", "  - id: SQL\n    description: again\n    weight: 1\n    condition: SqlQueryChange\ntiers:", StringComparison.Ordinal);

        var error = Assert.Single(Errors(yaml));

        Assert.Equal("rule id 'sql' is used more than once (ids are compared ignoring case)", error.Message);
        Assert.Equal(6, error.Line);
    }

    [Theory]
    [InlineData("tiers: {medium: 40, high: 40, critical: 70}", "tier scores must rise strictly: medium (40) < high (40) < critical (70)")]
    [InlineData("tiers: {medium: 20, high: 80, critical: 70}", "tier scores must rise strictly")]
    [InlineData("tiers: {medium: 20, high: 40}", "'tiers' has no 'critical' score")]
    [InlineData("tiers: {medium: 20, high: 40, critical: lots}", "tier score critical 'lots' is not a whole number")]
    [InlineData("tiers: [20, 40, 70]", "'tiers' must be a mapping")]
    [InlineData("", "'tiers' is missing")]
    public void Tier_errors_are_reported(string tiers, string message)
    {
        var yaml = OneRule.Replace("tiers: {medium: 20, high: 40, critical: 70}", tiers, StringComparison.Ordinal);

        Assert.Contains(Errors(yaml), e => e.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        const string yaml = """
            rules:
              - id: a
                weight: 400
                condition: Nope
              - id: b
                description: paths
                weight: 1
                condition: PathMatches
                paths: ["ok/**", "bad***"]
            tiers: {medium: 3, high: 2, critical: 1}
            """;

        var lines = Errors(yaml).Select(e => (e.RuleId, e.Line)).ToList();

        Assert.Equal([("a", 2), ("a", 3), ("a", 4), ("b", 9), (null, 10)], lines);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n")]
    [InlineData("rules: [")]
    [InlineData("rules:\n  - id: a\n  weight: :")]
    [InlineData("rules:\n  - id: a\n    id: b\n")]
    [InlineData("- just\n- a list\n")]
    [InlineData("plain text")]
    [InlineData("rules: *missing")]
    [InlineData("a: 1\n---\nb: 2\n")]
    [InlineData("rules:\n  - !!binary abc\ntiers: {}")]
    [InlineData("\t\"unterminated")]
    [InlineData("rules:\n  - paths: [\"a\"migrations\n    description: Changes files the\"")]
    public void Malformed_yaml_gives_errors_and_never_throws(string yaml) =>
        Assert.NotEmpty(Errors(yaml));

    [Fact]
    public void Deep_nesting_is_refused_instead_of_overflowing_the_stack()
    {
        var error = Assert.Single(Errors("rules: " + new string('[', 200_000)));

        Assert.Contains("nests deeper than 32 levels", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_yaml_syntax_error_carries_its_line()
    {
        var error = Assert.Single(Errors("rules:\n  - id: a\n    weight: [1,\n"));

        Assert.StartsWith("not valid YAML: ", error.Message, StringComparison.Ordinal);
        Assert.NotNull(error.Line);
    }

    [Fact]
    public void The_constructor_refuses_invalid_rules_with_the_same_messages()
    {
        var error = Assert.Throws<ArgumentException>(() => new RiskRuleSet(
            [new RiskRule("heavy", "Too heavy", 1000, RiskCondition.SqlQueryChange)], TierThresholds.Default));
        Assert.Contains("rule 'heavy': weight 1000 is outside -100..100", error.Message, StringComparison.Ordinal);

        Assert.Throws<ArgumentException>(() => new RiskRuleSet([], new TierThresholds(50, 40, 70)));
        Assert.Throws<ArgumentException>(() => new RiskRuleSet([new RiskRule("cov", "Coverage", 5, RiskCondition.CoverageBelow)], TierThresholds.Default));
    }
}
