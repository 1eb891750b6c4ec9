using ReviewPortal.Domain.AgentHabits;
using ReviewPortal.Domain.Diff;

namespace ReviewPortal.Domain.Tests.AgentHabits;

public sealed class PromptScopeTests
{
    private static List<string> OutOfScope(string? prompt, params string[] paths) =>
        PromptScope.Parse(prompt).FindOutOfScope(paths.Select(p => FileLineChanges.Compute(p, "a\n", "b\n")).ToList()).Select(f => f.Path).ToList();

    [Fact]
    public void Paths_file_names_and_folders_are_read_from_the_prompt_but_urls_and_prose_are_not()
    {
        var scope = PromptScope.Parse(
            "Fix the null check in `src/Orders/OrderService.cs` and update OrderServiceTests.cs; touch nothing in ./docs/ and/or "
            + "see https://github.com/acme/app/issues/3 for context. It runs on Node.js, version 1.2.3.");

        Assert.Equal(["src/Orders/OrderService.cs", "OrderServiceTests.cs", "docs/"], scope.Paths);
    }

    [Fact]
    public void Files_under_a_named_folder_by_name_or_as_the_named_path_are_in_scope()
    {
        var outside = OutOfScope("Change src/Auth/ and fix README.md, then adjust Billing/Invoice.cs",
            "src/Auth/Login.cs", "docs/README.md", "src/Billing/Invoice.cs", "src/Orders/Order.cs", "src/Authentication/X.cs");

        Assert.Equal(["src/Orders/Order.cs", "src/Authentication/X.cs"], outside);
    }

    [Fact]
    public void Out_of_scope_findings_name_the_file_and_the_prompt_paths()
    {
        var finding = Assert.Single(PromptScope.Parse("Edit api/orders.py only").FindOutOfScope([FileLineChanges.Compute("api/users.py", "a", "b")]));

        Assert.Equal(AgentFindingKind.OutOfScope, finding.Kind);
        Assert.Equal("api/users.py", finding.Path);
        Assert.Equal("not among the paths the prompt names: api/orders.py", finding.Detail);
    }

    [Fact]
    public void A_glob_in_the_prompt_is_matched_as_a_glob() =>
        Assert.Equal(["src/Orders.cs"], OutOfScope("Update every **/*.sql file", "db/001.sql", "src/Orders.cs"));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Make the login page faster and fix the flaky test.")]
    public void A_prompt_that_names_no_path_puts_nothing_out_of_scope(string? prompt)
    {
        Assert.False(PromptScope.Parse(prompt).NamesPaths);
        Assert.Empty(OutOfScope(prompt, "src/Anything.cs", "db/x.sql"));
    }

    [Theory]
    [InlineData("<div>Fix the login</div>")]
    [InlineData("Read the <a href=\"https://example.test/spec\">spec</a> first.<br/>Then <b>ship</b> it.<hr />")]
    [InlineData("Make it **bold** and _quick_, see [the guide](http://x) and run `code` with ~~care~~.")]
    [InlineData("Close the comment */ and the tag <div/> and </a> and <img src=x onerror=alert(1)>")]
    [InlineData("| a | b |\n|---|---|\n| `x` | **y** |\n\n- [ ] task\n> quote")]
    [Trait("Category", "BadInput")]
    public void Html_and_markdown_markers_are_not_paths(string prompt)
    {
        Assert.Empty(PromptScope.Parse(prompt).Paths);
    }

    [Fact]
    [Trait("Category", "BadInput")]
    public void Paths_inside_markdown_and_html_are_still_found()
    {
        var scope = PromptScope.Parse(
            "Fix **src/Auth/Login.cs** and `src/Payments/Refund.cs`, see [the notes](docs/README.md) and <code>src/Orders/</code>.<br/>"
            + "Also <a href=\"src/Billing/Invoice.cs\">the invoice</a>, *Shared/Money.cs* and every **/*.sql file.");

        Assert.Equal(
            ["src/Auth/Login.cs", "src/Payments/Refund.cs", "docs/README.md", "src/Orders/", "src/Billing/Invoice.cs", "Shared/Money.cs", "**/*.sql"],
            scope.Paths);
    }
}
