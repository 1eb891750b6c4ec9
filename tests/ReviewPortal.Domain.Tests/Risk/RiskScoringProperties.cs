using FsCheck;
using FsCheck.Fluent;
using ReviewPortal.Domain.Diff;
using ReviewPortal.Domain.Risk;

namespace ReviewPortal.Domain.Tests.Risk;

/// <summary>Properties of scoring that must hold for any change, checked on generated ones.</summary>
public sealed class RiskScoringProperties
{
    private static readonly string[] Paths =
    [
        "src/Api/Auth/Login.cs", "src/Orders/OrderService.cs", "db/migrations/001.sql", "docs/readme.md",
        "src/Security/Keys.cs", "src/TokenCache.cs", "schema/reports.sql", "deploy/app.yaml",
    ];

    private static readonly string[] Lines =
    [
        "var x = 1;", "SELECT id FROM orders;", "CREATE TABLE t (id int);", "return y;", "// comment", "UPDATE t SET a = 1", "}", "",
    ];

    private static Arbitrary<RiskInput> Inputs()
    {
        var file = from path in Gen.Elements(Paths)
                   from oldLines in Gen.ListOf(Gen.Elements(Lines))
                   from newLines in Gen.ListOf(Gen.Elements(Lines))
                   select FileLineChanges.Compute(path, string.Join('\n', oldLines), string.Join('\n', newLines));
        var input = from files in Gen.ListOf(file)
                    from coverage in Gen.Choose(0, 100).Select(c => (double?)c)
                    from findings in Gen.ListOf(Gen.Elements(Enum.GetValues<FindingSeverity>()).Select(s => new SecurityFinding(s, "finding")))
                    select new RiskInput(files.DistinctBy(f => f.Path).ToList(), coverage, findings.ToList());
        return input.ToArbitrary();
    }

    [Fact]
    public void Score_is_the_sum_of_contributions_and_the_tier_follows_from_it() =>
        Prop.ForAll(Inputs(), input =>
        {
            var result = RiskEvaluator.Evaluate(RiskRuleSet.Default, input);
            return result.Score == result.Contributions.Sum(c => c.Points)
                   && result.Tier == TierThresholds.Default.TierFor(result.Score)
                   && result.Contributions.All(c => c.Evidence.Count > 0)
                   && result.Contributions.Select(c => c.RuleId).Distinct().Count() == result.Contributions.Count;
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Adding_a_file_never_lowers_the_score() =>
        Prop.ForAll(Inputs(), Inputs(), (input, extra) =>
        {
            var more = input with { Files = input.Files.Concat(extra.Files.Where(f => input.Files.All(i => i.Path != f.Path))).ToList() };
            return RiskEvaluator.Evaluate(RiskRuleSet.Default, more).Score >= RiskEvaluator.Evaluate(RiskRuleSet.Default, input).Score;
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Tier_never_falls_as_the_score_rises() =>
        Prop.ForAll(Gen.Choose(0, 400).ToArbitrary(), Gen.Choose(0, 400).ToArbitrary(), (a, b) =>
            a > b || TierThresholds.Default.TierFor(a) <= TierThresholds.Default.TierFor(b)).QuickCheckThrowOnFailure();
}
