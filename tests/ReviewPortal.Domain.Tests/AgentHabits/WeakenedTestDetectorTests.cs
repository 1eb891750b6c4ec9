using ReviewPortal.Domain.AgentHabits;
using ReviewPortal.Domain.Diff;

namespace ReviewPortal.Domain.Tests.AgentHabits;

public sealed class WeakenedTestDetectorTests
{
    private static List<AgentFinding> Detect(string path, string? oldContent, string? newContent) =>
        WeakenedTestDetector.Detect([FileLineChanges.Compute(path, oldContent, newContent)]).ToList();

    [Theory]
    [InlineData("tests/App.Tests/OrderTests.cs", true)]
    [InlineData("src/App.Tests/Helpers.cs", true)]
    [InlineData("src/IntegrationTest/Setup.cs", true)]
    [InlineData("test/login.js", true)]
    [InlineData("web/__tests__/cart.js", true)]
    [InlineData("web/src/cart.spec.ts", true)]
    [InlineData("web/src/cart.test.tsx", true)]
    [InlineData("pkg/orders/orders_test.go", true)]
    [InlineData("app/test_orders.py", true)]
    [InlineData("e2e-tests/flow.ts", true)]
    [InlineData("src/Orders/OrderService.cs", false)]
    [InlineData("src/Prices/LatestPrices.cs", false)]
    [InlineData("latest/readme.md", false)]
    [InlineData("app/contest.py", false)]
    public void Test_files_are_recognised_by_common_conventions(string path, bool isTest) =>
        Assert.Equal(isTest, WeakenedTestDetector.IsTestFile(path));

    [Fact]
    public void A_deleted_test_file_is_one_finding_without_listing_its_assertions()
    {
        var finding = Assert.Single(Detect("tests/OrderTests.cs", "Assert.True(a);\nAssert.True(b);\n", null));

        Assert.Equal(AgentFindingKind.WeakenedTest, finding.Kind);
        Assert.Null(finding.Line);
        Assert.Equal("test file deleted (2 lines)", finding.Detail);
    }

    [Fact]
    public void A_deleted_production_file_is_not_a_weakened_test() =>
        Assert.Empty(Detect("src/Orders.cs", "Assert.True(a);\n", null));

    [Theory]
    [InlineData("tests/OrderTests.cs", "[Fact(Skip = \"flaky\")]")]
    [InlineData("tests/OrderTests.cs", "[Theory(Skip = \"later\")]")]
    [InlineData("tests/OrderTests.cs", "[Ignore(\"broken\")]")]
    [InlineData("tests/OrderTests.cs", "[Skip(\"broken\")]")]
    [InlineData("src/test/java/OrderTest.java", "@Disabled")]
    [InlineData("tests/test_orders.py", "@pytest.mark.skip(reason=\"slow\")")]
    [InlineData("web/cart.spec.ts", "it.skip('adds to cart', () => {")]
    [InlineData("web/cart.spec.ts", "xit('adds to cart', () => {")]
    [InlineData("web/cart.spec.ts", "describe.skip('cart', () => {")]
    [InlineData("pkg/orders_test.go", "\tt.Skip(\"flaky on CI\")")]
    public void Skip_markers_added_to_test_files_are_findings(string path, string marker)
    {
        var finding = Assert.Single(Detect(path, "a\n", $"a\n{marker}\n"));

        Assert.Equal(2, finding.Line);
        Assert.StartsWith("skip marker added: ", finding.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[SkipLocalsInit]")]
    [InlineData("[IgnoreDataMember]")]
    [InlineData("if (code != 0) exit(1);")]
    [InlineData("var page = query.Skip(10).Take(5);")]
    public void Lookalike_attributes_and_calls_are_not_skip_markers(string line) =>
        Assert.Empty(Detect("tests/OrderTests.cs", "a\n", $"a\n{line}\n"));

    [Fact]
    public void Skip_markers_in_production_files_are_not_findings() =>
        Assert.Empty(Detect("src/Docs.cs", "", "// write [Fact(Skip = \"...\")] to skip\n"));

    [Fact]
    public void Removed_assertions_in_a_test_file_are_findings_with_their_lines()
    {
        const string before = "var r = Run();\nAssert.Equal(3, r.Count);\nexpect(total).toBe(3);\nr.Should().NotBeNull();\nassert r.ok\n";
        const string after = "var r = Run();\n";

        var findings = Detect("tests/RunTests.cs", before, after);

        Assert.Equal([2, 3, 4, 5], findings.Select(f => f.Line));
        Assert.Equal("assertion removed: Assert.Equal(3, r.Count);", findings[0].Detail);
    }

    [Fact]
    public void Rewriting_or_moving_an_assertion_is_not_weakening()
    {
        Assert.Empty(Detect("tests/RunTests.cs", "Assert.Equal(3, r.Count);\n", "Assert.Equal(4, r.Count);\n"));
        Assert.Empty(Detect("tests/RunTests.cs", "Assert.True(a);\nvar x = 1;\n", "var x = 1;\nAssert.True(a);\n"));
    }

    [Fact]
    public void Removing_assertion_like_lines_from_production_code_is_not_weakening() =>
        Assert.Empty(Detect("src/Guard.cs", "Assert.NotNull(x);\n", ""));
}
