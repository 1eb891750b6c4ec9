using ReviewPortal.Domain.Diff;
using ReviewPortal.Domain.Risk;

namespace ReviewPortal.Domain.Tests.Risk;

public sealed class RiskEvaluatorTests
{
    private static RiskAssessment Score(double? coverage = null, IReadOnlyList<SecurityFinding>? findings = null, params (string Path, string? Old, string? New)[] files) =>
        RiskEvaluator.Evaluate(RiskRuleSet.Default, new RiskInput(files.Select(f => FileLineChanges.Compute(f.Path, f.Old, f.New)).ToList(), coverage, findings));

    [Fact]
    public void A_documentation_change_scores_zero_and_is_tier_1()
    {
        var result = Score(files: ("docs/guide.md", "# Guide\n", "# Guide\n\nMore words.\n"));

        Assert.Equal(0, result.Score);
        Assert.Equal(RiskTier.Low, result.Tier);
        Assert.Empty(result.Contributions);
    }

    [Fact]
    public void Touching_an_auth_path_adds_40_with_the_file_as_evidence()
    {
        var result = Score(files: ("src/Api/Auth/LoginController.cs", "a\n", "b\n"));

        var rule = Assert.Single(result.Contributions);
        Assert.Equal("security-paths", rule.RuleId);
        Assert.Equal(40, rule.Points);
        Assert.Equal("src/Api/Auth/LoginController.cs", Assert.Single(rule.Evidence).Path);
        Assert.Equal(RiskTier.High, result.Tier);
    }

    [Fact]
    public void A_migration_folder_file_adds_30()
    {
        var result = Score(files: ("db/Migrations/20261101_Add.cs", null, "migrationBuilder.AddColumn<int>(...);\n"));

        Assert.Equal(30, Assert.Single(result.Contributions, c => c.RuleId == "migrations").Points);
    }

    [Fact]
    public void A_sql_file_counts_as_a_migration_only_when_its_changed_lines_hold_ddl()
    {
        var ddl = Score(files: ("db/schema/orders.sql", "", "CREATE TABLE orders (id bigint);\n"));
        var query = Score(files: ("reports/top_customers.sql", "", "SELECT name FROM customers;\n"));

        var migration = Assert.Single(ddl.Contributions, c => c.RuleId == "migrations");
        Assert.Equal(1, Assert.Single(migration.Evidence).Line);
        Assert.DoesNotContain(query.Contributions, c => c.RuleId == "migrations");
        Assert.Contains(query.Contributions, c => c.RuleId == "sql-queries");
    }

    [Fact]
    public void Changed_sql_queries_add_20_with_line_evidence_on_both_sides()
    {
        var result = Score(files: ("src/Repo.cs",
            "var a = 1;\nconn.Query(\"SELECT id FROM orders\");\n",
            "var a = 1;\nconn.Query(\"SELECT id, total FROM orders\");\n"));

        var rule = Assert.Single(result.Contributions, c => c.RuleId == "sql-queries");
        Assert.Equal(20, rule.Points);
        Assert.Contains(rule.Evidence, e => e.Line == 2 && e.Detail.StartsWith("+ ", StringComparison.Ordinal));
        Assert.Contains(rule.Evidence, e => e.Line == 2 && e.Detail.StartsWith("- ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(500, false)]
    [InlineData(501, true)]
    public void More_than_500_changed_lines_adds_15(int addedLines, bool fires)
    {
        var content = string.Concat(Enumerable.Range(0, addedLines).Select(i => $"line {i}\n"));
        var result = Score(files: ("src/Generated.cs", null, content));

        Assert.Equal(fires, result.Contributions.Any(c => c.RuleId == "large-change" && c.Points == 15));
    }

    [Fact]
    public void Additions_and_deletions_both_count_as_changed_lines()
    {
        var old = string.Concat(Enumerable.Range(0, 300).Select(i => $"old {i}\n"));
        var @new = string.Concat(Enumerable.Range(0, 300).Select(i => $"new {i}\n"));

        Assert.Contains(Score(files: ("a.txt", old, @new)).Contributions, c => c.RuleId == "large-change");
    }

    [Theory]
    [InlineData(79.9, true)]
    [InlineData(80.0, false)]
    public void Coverage_below_80_adds_25(double coverage, bool fires) =>
        Assert.Equal(fires, Score(coverage: coverage, files: ("a.cs", "a", "b")).Contributions.Any(c => c.RuleId == "low-coverage" && c.Points == 25));

    [Fact]
    public void Unknown_coverage_does_not_fire_the_coverage_rule() =>
        Assert.DoesNotContain(Score(files: ("a.cs", "a", "b")).Contributions, c => c.RuleId == "low-coverage");

    [Fact]
    public void Security_findings_of_low_or_higher_add_35_once_with_every_finding_as_evidence()
    {
        var result = Score(findings: [new(FindingSeverity.Info, "style"), new(FindingSeverity.Medium, "weak hash", "a.cs"), new(FindingSeverity.High, "sql injection")],
            files: ("a.cs", "a", "b"));

        var rule = Assert.Single(result.Contributions, c => c.RuleId == "security-findings");
        Assert.Equal(35, rule.Points);
        Assert.Equal(2, rule.Evidence.Count);
    }

    [Fact]
    public void Auth_plus_sql_plus_migration_is_critical()
    {
        var result = Score(files:
        [
            ("src/Auth/TokenStore.cs", "", "conn.Execute(\"UPDATE tokens SET revoked = true\");\n"),
            ("db/migrations/001.sql", null, "CREATE TABLE tokens (id uuid);\n"),
        ]);

        Assert.Equal(90, result.Score);
        Assert.Equal(RiskTier.Critical, result.Tier);
        Assert.Equal(result.Contributions.Sum(c => c.Points), result.Score);
    }

    [Theory]
    [InlineData(0, RiskTier.Low)]
    [InlineData(19, RiskTier.Low)]
    [InlineData(20, RiskTier.Medium)]
    [InlineData(39, RiskTier.Medium)]
    [InlineData(40, RiskTier.High)]
    [InlineData(69, RiskTier.High)]
    [InlineData(70, RiskTier.Critical)]
    [InlineData(500, RiskTier.Critical)]
    public void Tier_thresholds_follow_the_product_policy(int score, RiskTier tier) =>
        Assert.Equal(tier, TierThresholds.Default.TierFor(score));

    [Fact]
    public void Evidence_is_capped_per_rule()
    {
        var content = string.Concat(Enumerable.Range(0, 50).Select(i => $"DELETE FROM t{i};\n"));
        var rule = Assert.Single(Score(files: ("a.cs", null, content)).Contributions, c => c.RuleId == "sql-queries");

        Assert.Equal(RiskEvaluator.MaxEvidencePerRule, rule.Evidence.Count);
    }

    [Fact]
    public void Rule_set_version_is_a_content_hash()
    {
        var same = new RiskRuleSet(RiskRuleSet.Default.Rules.ToList(), TierThresholds.Default);
        var heavier = new RiskRuleSet(RiskRuleSet.Default.Rules.Select(r => r.Id == "sql-queries" ? r with { Weight = 21 } : r).ToList(), TierThresholds.Default);

        Assert.Equal(RiskRuleSet.Default.Version, same.Version);
        Assert.NotEqual(RiskRuleSet.Default.Version, heavier.Version);
        Assert.StartsWith("rs-", RiskRuleSet.Default.Version, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_rule_ids_are_refused() =>
        Assert.Throws<ArgumentException>(() => new RiskRuleSet([RiskRuleSet.Default.Rules[0], RiskRuleSet.Default.Rules[0]], TierThresholds.Default));

    [Fact]
    public void A_secret_in_an_added_line_adds_50_with_masked_evidence()
    {
        var token = "ghp_" + "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5";
        var result = Score(files: ("src/Deploy.cs", "var a = 1;\n", $"var a = 1;\nvar token = \"{token}\";\n"));

        var rule = Assert.Single(result.Contributions, c => c.RuleId == "secrets");
        Assert.Equal(50, rule.Points);
        var evidence = Assert.Single(rule.Evidence);
        Assert.Equal(("src/Deploy.cs", (int?)2, "GitHub token ghp_..."), (evidence.Path, evidence.Line, evidence.Detail));
        Assert.Equal(RiskTier.High, result.Tier);
    }

    [Fact]
    public void Secrets_are_masked_in_the_evidence_of_other_rules_too()
    {
        var key = "AKIA" + "IOSFODNN7EXAMPLE";
        var result = Score(files: ("src/Repo.cs", null, $"db.Execute(\"INSERT INTO keys VALUES ('{key}')\");\n"));

        var sql = Assert.Single(result.Contributions, c => c.RuleId == "sql-queries");
        Assert.Equal("+ db.Execute(\"INSERT INTO keys VALUES ('AKIA...')\");", Assert.Single(sql.Evidence).Detail);
        Assert.DoesNotContain(result.Contributions.SelectMany(c => c.Evidence), e => e.Detail.Contains(key, StringComparison.Ordinal));
    }

    [Fact]
    public void A_new_dependency_adds_10_naming_the_package()
    {
        var result = Score(files: ("src/App/App.csproj", "<ItemGroup>\n</ItemGroup>\n", "<ItemGroup>\n<PackageReference Include=\"Newtonsoft.Json\" />\n</ItemGroup>\n"));

        var rule = Assert.Single(result.Contributions);
        Assert.Equal(("new-dependencies", 10), (rule.RuleId, rule.Points));
        Assert.Equal("new dependency Newtonsoft.Json", Assert.Single(rule.Evidence).Detail);
    }

    [Fact]
    public void A_skipped_test_adds_25()
    {
        var result = Score(files: ("tests/OrderTests.cs", "[Fact]\npublic void A() {}\n", "[Fact(Skip = \"flaky\")]\npublic void A() {}\n"));

        var rule = Assert.Single(result.Contributions);
        Assert.Equal(("weakened-tests", 25), (rule.RuleId, rule.Points));
        Assert.Equal(1, Assert.Single(rule.Evidence).Line);
    }

    [Fact]
    public void Files_outside_the_prompts_paths_add_10_and_no_prompt_means_no_scope()
    {
        var files = new[] { FileLineChanges.Compute("src/Orders/Order.cs", "a", "b"), FileLineChanges.Compute("docs/notes.md", "a", "b") };

        var scoped = RiskEvaluator.Evaluate(RiskRuleSet.Default, new RiskInput(files, Prompt: "Fix rounding in src/Orders/Order.cs"));
        var unscoped = RiskEvaluator.Evaluate(RiskRuleSet.Default, new RiskInput(files));

        var rule = Assert.Single(scoped.Contributions);
        Assert.Equal(("out-of-scope", 10), (rule.RuleId, rule.Points));
        Assert.Equal("docs/notes.md", Assert.Single(rule.Evidence).Path);
        Assert.Empty(unscoped.Contributions);
    }

    [Fact]
    public void Agent_finding_rules_from_yaml_score_with_their_own_weight()
    {
        var yaml = """
            rules:
              - id: no-new-packages
                description: New packages need an architect
                weight: 60
                condition: AgentFinding
                finding: new-dependency
            tiers: {medium: 20, high: 40, critical: 50}
            """;
        var ruleSet = RiskRuleSet.FromYaml(yaml).RuleSet!;

        var result = RiskEvaluator.Evaluate(ruleSet, new RiskInput([FileLineChanges.Compute("go.sum", "a\n", "a\nb\n")]));

        Assert.Equal(60, result.Score);
        Assert.Equal(RiskTier.Critical, result.Tier);
        Assert.Equal(ruleSet.Version, result.RuleSetVersion);
    }
}
