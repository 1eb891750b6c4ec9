using Bunit;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ReviewPortal.Domain.Provenance;
using ReviewPortal.Domain.Risk;
using ReviewPortal.Testing;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Features.Review;
using static ReviewPortal.Web.Tests.Features.Review.ReviewTestChanges;

namespace ReviewPortal.Web.Tests.Features.Review;

/// <summary>
/// The review page's panels and its file list, rendered from changes submitted through the real API and loaded by
/// <see cref="ReviewQuery"/> from PostgreSQL; viewed marks are read back from the database.
/// </summary>
[Trait("Category", "Component")]
public sealed class ReviewPanelsTests : ComponentTest, IClassFixture<ReviewFixture>
{
    private readonly ReviewFixture fixture;

    public ReviewPanelsTests(ReviewFixture fixture)
    {
        this.fixture = fixture;
        Services.AddSingleton(fixture.Services.GetRequiredService<ReviewQuery>());
        Services.AddSingleton(fixture.Services.GetRequiredService<ReviewPreferences>());
        Services.AddSingleton(fixture.Services.GetRequiredService<IOptions<DiffViewSettings>>());
    }

    private async Task<string> UserIdAsync(string email)
    {
        await using var scope = fixture.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().FindByNameAsync(email))!.Id;
    }

    private async Task<ReviewModel> SubmitAndLoadAsync(string title, IEnumerable<(string Path, string? Old, string? New)> files, string? userId = null)
    {
        var id = await fixture.SubmitAsync(title, files);
        await fixture.DrainAsync();
        return (await fixture.Services.GetRequiredService<ReviewQuery>().LoadAsync(id, userId: userId))!;
    }

    [Fact]
    public async Task The_risk_breakdown_shows_each_rule_that_fired_with_its_points_and_evidence()
    {
        var model = await SubmitAndLoadAsync("Risk breakdown", [("src/Auth/PasswordHasher.cs", "class A {}\n", "class A { string password = \"hunter2\"; }\n"), ("migrations/001_users.sql", null, "DROP TABLE users;\n")]);
        var contributions = model.Revision.RiskContributions;
        Assert.NotEmpty(contributions);

        var panel = Render<RiskBreakdown>(p => p.Add(c => c.Revision, model.Revision).Add(c => c.Thresholds, new TierThresholds(10, 20, 30)));

        Assert.Equal($"Risk: score {model.Revision.RiskScore}", panel.Find("#risk-title").TextContent);
        Assert.Contains("Tier 4 from 30, tier 3 from 20, tier 2 from 10.", panel.Find("[data-testid=risk-thresholds]").TextContent, StringComparison.Ordinal);
        var rows = panel.FindAll("[data-testid=risk-rule]");
        Assert.Equal(contributions.Select(c => c.RuleId), rows.Select(r => r.GetAttribute("data-rule")));
        foreach (var (rule, row) in contributions.Zip(rows))
        {
            Assert.Contains(rule.Description, row.TextContent, StringComparison.Ordinal);
            Assert.Equal($"+{rule.Points}", row.QuerySelector("td.points")!.TextContent);
            Assert.Equal(rule.Evidence.Select(e => e.Detail), row.QuerySelectorAll("ul.evidence li").Select(li => li.TextContent.Split(' ', 2) is var parts && parts.Length == 2 && li.QuerySelector("code") is not null ? parts[1] : li.TextContent));
        }
    }

    [Fact]
    public void A_revision_no_rule_fired_on_says_so()
    {
        var revision = new ChangeRevision { Number = 1, RuleSetVersion = "rs-test" };

        var panel = Render<RiskBreakdown>(p => p.Add(c => c.Revision, revision));

        Assert.Equal("No risk rule fired for this change.", panel.Find("[data-testid=no-risk]").TextContent);
        Assert.Empty(panel.FindAll("[data-testid=risk-breakdown]"));
    }

    [Fact]
    public void The_provenance_panel_shows_the_session_or_that_the_change_is_untraced_and_unsafe_links_as_text()
    {
        var traced = NewChange(RiskTier.Medium);
        traced.AgentSessionId = "sess_42";
        traced.Prompt = "See [the docs](javascript:alert(1)) and **this**.";
        var untraced = NewChange(RiskTier.Medium);
        untraced.AgentSessionId = null;

        var tracedPanel = Render<ProvenancePanel>(p => p.Add(c => c.Change, traced));
        var untracedPanel = Render<ProvenancePanel>(p => p.Add(c => c.Change, untraced));

        Assert.Equal("sess_42", tracedPanel.Find("[data-testid=session-id] code").TextContent);
        Assert.Equal("dana@demo.local", tracedPanel.Find("[data-testid=prompter]").TextContent);
        var unsafeLink = tracedPanel.Find("[data-testid=prompt] [data-testid=unsafe-link]");
        Assert.Contains("javascript:alert(1)", unsafeLink.TextContent, StringComparison.Ordinal);
        Assert.Empty(tracedPanel.FindAll("[data-testid=prompt] a"));
        Assert.Equal("this", tracedPanel.Find("[data-testid=prompt] strong").TextContent);
        Assert.Equal(untraced.IsUntraced, untracedPanel.FindAll("[data-testid=session-id] .untraced").Count == 1);
        Assert.True(untraced.IsUntraced, "a change without a session id is untraced");
        Assert.Contains("untraced: no session id", untracedPanel.Find("[data-testid=session-id]").TextContent, StringComparison.Ordinal);
        Assert.Equal("No prompt was submitted with this change.", untracedPanel.Find("[data-testid=no-prompt]").TextContent);
    }

    [Fact]
    public void Checks_and_rollback_plan_show_what_was_reported_and_say_when_nothing_was()
    {
        var bundle = new ProvenanceBundle(Tests: new TestResults(10, 1, 2), CoveragePercent: 87.5, SecurityFindings: [new SecurityFinding(FindingSeverity.High, "SQL injection", "src/Db.cs")], Rollback: new RollbackPlan("Revert the commit.", "Billing only."));

        var checks = Render<ChecksPanel>(p => p.Add(c => c.Bundle, bundle));
        var rollback = Render<RollbackPanel>(p => p.Add(c => c.Plan, bundle.Rollback));
        var noChecks = Render<ChecksPanel>(p => p.Add(c => c.Bundle, new ProvenanceBundle(Rollback: bundle.Rollback)));
        var noRollback = Render<RollbackPanel>(p => p.Add(c => c.Plan, null));

        Assert.Equal("10 passed, 1 failed, 2 skipped", checks.Find("[data-testid=tests]").TextContent);
        Assert.Equal("87.5%", checks.Find("[data-testid=coverage]").TextContent);
        Assert.Equal("not reported", checks.Find("[data-testid=policy-score]").TextContent);
        Assert.StartsWith("1 high", checks.Find("[data-testid=findings]").TextContent.Trim(), StringComparison.Ordinal);
        Assert.Contains("Revert the commit.", rollback.Find("[data-testid=rollback]").TextContent, StringComparison.Ordinal);
        Assert.Contains("Blast radius: Billing only.", rollback.Find("[data-testid=rollback]").TextContent, StringComparison.Ordinal);
        Assert.StartsWith("No checks reported", noChecks.Find("[data-testid=no-checks]").TextContent, StringComparison.Ordinal);
        Assert.Equal("No rollback plan was submitted with this change.", noRollback.Find("[data-testid=no-rollback]").TextContent);
    }

    [Fact]
    public void The_file_tree_groups_files_by_folder_counts_viewed_marks_and_selects_a_file_on_click()
    {
        ReviewFileEntry File(int index, string path, bool viewed = false, DiffAvailability diff = DiffAvailability.Ready) =>
            new(index, $"f{index}", path, null, ReviewFileKind.Modified, 3, 1, diff, 10, 12, 100, 1, null, viewed, index + 1);
        var selected = new List<int>();
        var tree = Render<FileTree>(p => p
            .Add(c => c.Files, [File(0, "src/b/One.cs", viewed: true), File(1, "src/a/Two.cs", diff: DiffAvailability.Pending), File(2, "README.md")])
            .Add(c => c.Current, 0)
            .Add(c => c.OnSelect, selected.Add));

        Assert.Contains("(3, 1 viewed)", tree.Find("#file-tree-title").TextContent, StringComparison.Ordinal);
        Assert.Equal(["/", "src/a/", "src/b/"], tree.FindAll(".tree-folder").Select(f => f.TextContent));
        Assert.Equal("true", tree.Find("[data-testid=tree-file][data-file-index=\"0\"]").GetAttribute("aria-current"));
        Assert.Contains(", viewed", tree.Find("[data-testid=tree-file][data-file-index=\"0\"]").TextContent, StringComparison.Ordinal);
        Assert.Contains(", computing diff", tree.Find("[data-testid=tree-file][data-file-index=\"1\"]").TextContent, StringComparison.Ordinal);

        tree.Find("[data-testid=tree-file][data-file-index=\"2\"]").Click();

        Assert.Equal([2], selected);
    }

    [Fact]
    public async Task Ticking_viewed_in_the_file_list_marks_that_file_in_the_database_and_in_the_tree()
    {
        var userId = await UserIdAsync(DemoLogin.Reviewer);
        var model = await SubmitAndLoadAsync("Viewed from the list", [("src/One.cs", "a\n", "b\n"), ("src/Two.cs", "c\n", "d\n")], userId);
        var list = Render<DiffFileList>(p => p.Add(c => c.Files, model.Files).Add(c => c.RevisionId, model.Revision.Id).Add(c => c.UserId, userId));
        list.WaitForElement("article[data-file-index=\"1\"] table[data-testid=side-by-side-diff]");

        list.Find("article[data-file-index=\"1\"] input[data-testid=viewed-checkbox]").Change(true);

        list.WaitForAssertion(() => Assert.Equal("true", list.Find("article[data-file-index=\"1\"]").GetAttribute("data-viewed")));
        Assert.Contains("1 viewed", list.Find("#file-tree-title").TextContent, StringComparison.Ordinal);
        await using var db = await fixture.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        Assert.Equal([model.Files[1].FileId!.Value], await db.FileViewMarks.Where(m => m.UserId == userId && (m.FileId == model.Files[0].FileId || m.FileId == model.Files[1].FileId)).Select(m => m.FileId).ToListAsync());
    }

    [Fact]
    public async Task A_large_file_loads_its_diff_when_asked_and_the_page_script_is_attached_to_the_list()
    {
        var big = string.Concat(Enumerable.Range(0, ReviewFileEntry.LargeLineCount + 1).Select(i => $"line {i}\n"));
        var model = await SubmitAndLoadAsync("Large file on demand", [("data/big.txt", big, big.Replace("line 7\n", "line seven\n", StringComparison.Ordinal))]);
        var list = Render<DiffFileList>(p => p.Add(c => c.Files, model.Files).Add(c => c.RevisionId, model.Revision.Id));

        list.WaitForAssertion(() => JSInterop.VerifyInvoke("ReviewPortal.attach"));
        var attach = JSInterop.VerifyInvoke("ReviewPortal.attach");
        Assert.Equal(list.Find("section[data-testid=review-files]").GetAttribute("blazor:elementReference"), ((Microsoft.AspNetCore.Components.ElementReference)attach.Arguments[1]!).Id);
        Assert.Empty(list.FindAll("table"));

        list.Find("button[data-testid=load-diff]").Click();

        list.WaitForAssertion(() => Assert.Contains(list.FindAll("td.code[data-side=new]"), td => td.TextContent == "line seven"), TimeSpan.FromSeconds(30));
        Assert.Equal("loaded", list.Find("article").GetAttribute("data-load-state"));
    }
}
