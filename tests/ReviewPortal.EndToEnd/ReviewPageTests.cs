using System.Globalization;
using System.Text;
using Deque.AxeCore.Playwright;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using ReviewPortal.Testing;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Features.Ingest;
using ReviewPortal.Web.Features.Review;
using ReviewPortal.Web.Infrastructure.Notifications;

namespace ReviewPortal.EndToEnd;

/// <summary>The review page in Chromium: diff modes, viewed marks, keyboard, syntax highlighting, prompt, accessibility.</summary>
[Collection(EndToEndCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class ReviewPageTests(PortalBrowserFixture fixture) : ConsoleCheckedTest(fixture.Console)
{
    /// <summary>A C# file with two hunks (a changed line near the top and one near the bottom).</summary>
    private static (string Old, string New) TwoHunkFile(int n)
    {
        var body = new StringBuilder();
        for (var i = 0; i < 20; i++)
        {
            body.Append(CultureInfo.InvariantCulture, $"    public decimal Rate{i}(decimal amount) => amount * {i}m;\n");
        }

        var old = $"namespace Shop.Billing;\n\npublic sealed class Service{n}\n{{\n    public decimal Total(decimal amount) => amount;\n{body}    public decimal Tax(decimal amount) => amount * 0.2m;\n}}\n";
        var changed = old.Replace("=> amount;\n", "=> Math.Round(amount, 2);\n", StringComparison.Ordinal)
            .Replace("amount * 0.2m;", "amount * TaxRate;", StringComparison.Ordinal);
        return (old, changed);
    }

    private async Task<long> SubmitAsync(string title, IEnumerable<(string Path, string? Old, string? New)> files, string prompt = "Round totals to cents.")
    {
        using var client = AgentApi.Client(fixture.BaseAddress);
        var id = await client.SubmitChangeAsync(new
        {
            title,
            repository = "acme/shop",
            author = "billing-agent[bot]",
            prompter = "someone@acme.test",
            agentSessionId = "sess_e2e",
            modelVersion = "claude-sonnet-4.5",
            agentTool = "claude-code",
            prompt,
            files = files.Select(f => new { path = f.Path, oldContent = f.Old, newContent = f.New }).ToList(),
        });
        await WaitForDiffsAsync(id);
        return id;
    }

    private Task WaitForDiffsAsync(long id) =>
        Eventually.TrueAsync(
            async () =>
            {
                await using var scope = fixture.Portal.Services.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
                return !await db.FileDiffs.AnyAsync(d => d.Status == FileDiffStatus.Pending && db.ChangeFiles.Any(f => f.Id == d.FileId && db.Revisions.Any(r => r.Id == f.RevisionId && r.ChangeId == id)));
            },
            $"the diffs of change {id} to be computed");

    private Task<long> SubmitTwoHunkChangeAsync(string title, int files = 3) =>
        SubmitAsync(title, Enumerable.Range(0, files).Select(i => TwoHunkFile(i) is var (o, n) ? ($"src/Billing/Service{i}.cs", (string?)o, (string?)n) : default));

    private static async Task OpenAsync(IPage page, long id, string query = "")
    {
        await page.GotoAsync($"/changes/{id}{query}");
        await WaitReadyAsync(page);
    }

    /// <summary>Interactive, and the page script handles keys.</summary>
    private static async Task WaitReadyAsync(IPage page)
    {
        await PortalBrowserFixture.WaitInteractiveAsync(page, "review-page");
        await page.Locator("[data-testid=review-page][data-keys=ready]").WaitForAsync();
    }

    private static ILocator File(IPage page, int index) => page.Locator($"article[data-file-index=\"{index}\"]");

    private static async Task MoveFileAsync(IPage page, string key, int index)
    {
        await page.Keyboard.PressAsync(key);
        await ExpectCurrentAsync(page, index);
        await Assertions.Expect(File(page, index).Locator("[data-file-heading]")).ToBeFocusedAsync();
    }

    private static Task ExpectCurrentAsync(IPage page, int index) =>
        Assertions.Expect(page.Locator("article[data-current=true]")).ToHaveAttributeAsync("data-file-index", index.ToString(CultureInfo.InvariantCulture));

    [Fact]
    public async Task The_diff_mode_is_kept_after_a_reload()
    {
        var id = await SubmitTwoHunkChangeAsync("E2E: diff mode", files: 1);
        var page = await fixture.SignInAsync(DemoLogin.SecondReviewer);
        await OpenAsync(page, id);
        await Assertions.Expect(File(page, 0).GetByTestId("side-by-side-diff")).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Unified" }).ClickAsync();
        await Assertions.Expect(File(page, 0).GetByTestId("unified-diff")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("mode-unified")).ToHaveAttributeAsync("aria-pressed", "true");
        await Assertions.Expect(File(page, 0).Locator("tr.del td.code[data-side=old]").First).ToContainTextAsync("=> amount;");

        await page.ReloadAsync();
        await WaitReadyAsync(page);
        await Assertions.Expect(File(page, 0).GetByTestId("unified-diff")).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Side by side" }).ClickAsync();
        await Assertions.Expect(File(page, 0).GetByTestId("side-by-side-diff")).ToBeVisibleAsync();
        await page.ReloadAsync();
        await WaitReadyAsync(page);
        await Assertions.Expect(File(page, 0).GetByTestId("side-by-side-diff")).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_viewed_mark_collapses_the_file_is_kept_after_a_reload_and_belongs_to_its_revision()
    {
        var id = await SubmitTwoHunkChangeAsync("E2E: viewed marks", files: 2);
        await AddRevisionAsync(id);
        var page = await fixture.SignInAsync(DemoLogin.Reviewer);
        await OpenAsync(page, id, "?revision=1");

        await File(page, 0).GetByLabel("Viewed: src/Billing/Service0.cs").CheckAsync();
        await Assertions.Expect(File(page, 0)).ToHaveAttributeAsync("data-viewed", "true");
        await Assertions.Expect(File(page, 0).Locator("table")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("file-tree")).ToContainTextAsync("1 viewed");

        await page.ReloadAsync();
        await WaitReadyAsync(page);
        await Assertions.Expect(File(page, 0).GetByLabel("Viewed: src/Billing/Service0.cs")).ToBeCheckedAsync();
        await Assertions.Expect(File(page, 1)).ToHaveAttributeAsync("data-viewed", "false");

        await OpenAsync(page, id, "?revision=2");
        await Assertions.Expect(File(page, 0)).ToHaveAttributeAsync("data-viewed", "false");
        await Assertions.Expect(File(page, 0).GetByTestId("side-by-side-diff")).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Keys_move_between_files_and_hunks_mark_viewed_open_help_and_are_ignored_while_typing()
    {
        var id = await SubmitTwoHunkChangeAsync("E2E: keyboard", files: 3);
        var page = await fixture.SignInAsync(DemoLogin.Reviewer);
        await OpenAsync(page, id);
        await ExpectCurrentAsync(page, 0);

        // j/k: each move is awaited until the file is current and its heading has the focus (the page brings it into
        // view after rendering the move); a key pressed before that would race the focus the move still sets.
        await MoveFileAsync(page, "j", 1);
        await MoveFileAsync(page, "j", 2);
        await MoveFileAsync(page, "k", 1);
        await MoveFileAsync(page, "k", 0);
        await page.Keyboard.PressAsync("k");
        await Assertions.Expect(page.GetByTestId("navigation-note")).ToHaveTextAsync("This is the first file.");
        await Assertions.Expect(File(page, 0).Locator("[data-file-heading]")).ToBeFocusedAsync();

        // n/p: hunk by hunk, on into the next file.
        var focusedHunk = "() => { const el = document.activeElement; return el && el.hasAttribute('data-hunk-start') ? el.closest('article').dataset.fileIndex + ':' + el.dataset.hunkStart : null; }";
        await page.Keyboard.PressAsync("n");
        await page.WaitForFunctionAsync($"() => ({focusedHunk})() === '0:0'");
        await page.Keyboard.PressAsync("n");
        await page.WaitForFunctionAsync($"() => ({focusedHunk})() === '0:1'");
        await page.Keyboard.PressAsync("n");
        await page.WaitForFunctionAsync($"() => ({focusedHunk})() === '1:0'");
        await ExpectCurrentAsync(page, 1);
        await page.Keyboard.PressAsync("p");
        await page.WaitForFunctionAsync($"() => ({focusedHunk})() === '0:1'");
        await ExpectCurrentAsync(page, 0);

        await page.Keyboard.PressAsync("v");
        await Assertions.Expect(File(page, 0)).ToHaveAttributeAsync("data-viewed", "true");
        await Assertions.Expect(File(page, 0).GetByTestId("viewed-checkbox")).ToBeCheckedAsync();
        await page.Keyboard.PressAsync("v");
        await Assertions.Expect(File(page, 0)).ToHaveAttributeAsync("data-viewed", "false");

        await page.Keyboard.PressAsync("?");
        var help = page.GetByRole(AriaRole.Dialog, new() { Name = "Keyboard shortcuts" });
        await Assertions.Expect(help).ToBeVisibleAsync();
        await Assertions.Expect(help).ToContainTextAsync("Next / previous hunk");
        await page.Keyboard.PressAsync("j");
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(help).ToBeHiddenAsync();
        // The j pressed while the help was open did nothing: the next j goes from the first file to the second.
        await MoveFileAsync(page, "j", 1);
        await MoveFileAsync(page, "k", 0);

        // r goes to the decision comment; typing there is text, not commands.
        await page.Keyboard.PressAsync("r");
        await Assertions.Expect(page.Locator("#decision-reason")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("jkv");
        await Assertions.Expect(page.Locator("#decision-reason")).ToHaveValueAsync("jkv");
        await ExpectCurrentAsync(page, 0);
        await Assertions.Expect(File(page, 0)).ToHaveAttributeAsync("data-viewed", "false");
        await page.Locator("#decision-reason").BlurAsync();

        // a presses the approve button (whose handler asks to confirm); the click is caught here so nothing is decided.
        await page.EvaluateAsync("() => { window.__approveClicks = 0; document.querySelector('[data-testid=approve-button]').addEventListener('click', e => { window.__approveClicks++; e.stopImmediatePropagation(); e.preventDefault(); }, true); }");
        await page.Keyboard.PressAsync("a");
        await page.WaitForFunctionAsync("() => window.__approveClicks === 1");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_change_with_many_files_lists_them_all_at_once_and_renders_the_rest_progressively()
    {
        var id = await SubmitAsync("E2E: many files", Enumerable.Range(0, 60).Select(i => ($"src/Many/File{i:D2}.cs", (string?)$"class C{i}\n{{\n    int a;\n}}\n", (string?)$"class C{i}\n{{\n    int b;\n}}\n")));
        var page = await fixture.SignInAsync(DemoLogin.Reviewer);
        await OpenAsync(page, id);

        await Assertions.Expect(page.GetByTestId("tree-file")).ToHaveCountAsync(60);
        await Assertions.Expect(page.Locator("article[data-file-index]")).ToHaveCountAsync(60);
        await Assertions.Expect(page.GetByTestId("more-files")).ToHaveCountAsync(0);
        await page.GetByTestId("tree-file").Nth(45).ClickAsync();
        await ExpectCurrentAsync(page, 45);
        await Assertions.Expect(File(page, 45).GetByTestId("side-by-side-diff")).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("j");
        await ExpectCurrentAsync(page, 46);
        await Assertions.Expect(File(page, 46).GetByTestId("side-by-side-diff")).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Code_is_syntax_highlighted_with_css_highlights_without_changing_the_cells()
    {
        var id = await SubmitTwoHunkChangeAsync("E2E: highlighting", files: 1);
        var page = await fixture.SignInAsync(DemoLogin.Reviewer);
        await OpenAsync(page, id);
        var cell = File(page, 0).Locator("td.code[data-side=new], td.code[data-side=both]", new() { HasText = "public sealed class Service0" });
        await Assertions.Expect(cell).ToBeVisibleAsync();

        await page.WaitForFunctionAsync("() => (ReviewPortal.highlightSummary().scopes.keyword?.count ?? 0) > 0");
        var summary = await page.EvaluateAsync<System.Text.Json.JsonElement>("() => ReviewPortal.highlightSummary()");
        Assert.True(summary.GetProperty("supported").GetBoolean());
        var keywords = summary.GetProperty("scopes").GetProperty("keyword").GetProperty("texts").EnumerateArray().Select(t => t.GetString()).ToList();
        Assert.Contains("public", keywords);
        Assert.Contains("sealed", keywords);
        Assert.Contains("class", keywords);
        Assert.True(summary.GetProperty("scopes").GetProperty("number").GetProperty("count").GetInt32() > 0);
        // The cells are Blazor's: highlighting added no element inside them.
        Assert.Equal(0, await cell.Locator("span").CountAsync());
        Assert.Equal("public sealed class Service0", await cell.TextContentAsync());
    }

    [Fact]
    public async Task The_prompt_is_markdown_and_html_in_it_is_shown_as_text()
    {
        var id = await SubmitAsync("E2E: prompt", [("docs/notes.md", "a\n", "b\n")],
            prompt: "Round **every** total.\n\n<script>window.__owned = true</script>\n\n<img src=x onerror=\"window.__owned = true\">");
        var page = await fixture.SignInAsync(DemoLogin.Reviewer);
        await OpenAsync(page, id);

        var prompt = page.GetByTestId("prompt");
        await Assertions.Expect(prompt.Locator("strong")).ToHaveTextAsync("every");
        await Assertions.Expect(prompt).ToContainTextAsync("<script>window.__owned = true</script>");
        await Assertions.Expect(prompt.Locator("script, img")).ToHaveCountAsync(0);
        Assert.False(await page.EvaluateAsync<bool>("() => window.__owned === true"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_file_whose_diff_is_computing_updates_when_it_is_ready_without_a_reload()
    {
        var id = await SubmitTwoHunkChangeAsync("E2E: live diff", files: 1);
        var worker = fixture.Portal.Services.GetRequiredService<FileDiffWorker>();
        await worker.StopAsync(CancellationToken.None);
        IPage page;
        try
        {
            await SetStatusAsync(id, FileDiffStatus.Pending);
            page = await fixture.SignInAsync(DemoLogin.Reviewer);
            await OpenAsync(page, id);
            await Assertions.Expect(File(page, 0).GetByTestId("diff-pending")).ToContainTextAsync("Computing diff");
            await Assertions.Expect(page.GetByTestId("header-author")).ToContainTextAsync("(agent: claude-code, claude-sonnet-4.5)");
            await Assertions.Expect(page.GetByTestId("tree-file").First).ToContainTextAsync("computing diff");
        }
        finally
        {
            await worker.StartAsync(CancellationToken.None);
        }

        await WaitForDiffsAsync(id);
        // As the LISTEN side of live updates hands the worker's NOTIFY to this instance's circuits.
        fixture.Portal.Services.GetRequiredService<ChangeFeed>().Publish(new ChangeNotification(id, ChangeActivity.DiffsReady));
        await Assertions.Expect(File(page, 0).GetByTestId("side-by-side-diff")).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_review_page_has_no_serious_or_critical_accessibility_violation()
    {
        var id = await SubmitTwoHunkChangeAsync("E2E: accessibility", files: 2);
        var page = await fixture.SignInAsync(DemoLogin.Reviewer);
        await OpenAsync(page, id);
        try
        {
        foreach (var mode in new[] { "Side by side", "Unified" })
        {
            await page.GetByRole(AriaRole.Button, new() { Name = mode }).ClickAsync();
            await Assertions.Expect(File(page, 0).GetByTestId(mode == "Unified" ? "unified-diff" : "side-by-side-diff")).ToBeVisibleAsync();
            await page.WaitForFunctionAsync("() => (ReviewPortal.highlightSummary().scopes.keyword?.count ?? 0) > 0");
            var results = await page.RunAxe();
            var serious = results.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
            Assert.True(serious.Count == 0, $"{mode}:\n" + string.Join("\n", serious.Select(v => $"{v.Impact} {v.Id}: {v.Help} at {string.Join(", ", v.Nodes.Take(5).Select(n => n.Html))}")));
        }
        }
        finally
        {
            // The mode is kept on the reviewer: leave it as the other tests expect it.
            await page.GetByRole(AriaRole.Button, new() { Name = "Side by side" }).ClickAsync();
            await Assertions.Expect(File(page, 0).GetByTestId("side-by-side-diff")).ToBeVisibleAsync();
        }

        await page.Context.CloseAsync();
    }

    [Fact]
    [Trait("Category", "BadInput")]
    public async Task A_file_whose_single_line_is_two_megabytes_is_cut_and_the_page_keeps_handling_keys()
    {
        var line = string.Concat(Enumerable.Repeat("var total=price*quantity;", 76_000));
        var (old, changed) = TwoHunkFile(0);
        var id = await SubmitAsync("E2E: two-megabyte line", [("assets/bundle.min.js", null, line + "\n"), ("src/Billing/Service0.cs", old, changed)]);
        var page = await fixture.SignInAsync(DemoLogin.Reviewer);
        await OpenAsync(page, id);
        await ExpectCurrentAsync(page, 0);

        await File(page, 0).GetByTestId("load-diff").ClickAsync();
        var cell = File(page, 0).Locator("td.code[data-cut=true]");
        await Assertions.Expect(cell.GetByTestId("line-cut")).ToBeVisibleAsync();
        await Assertions.Expect(cell.GetByTestId("line-cut")).ToContainTextAsync((line.Length - new DiffViewSettings().LongLineLimit).ToString("N0", CultureInfo.InvariantCulture) + " more characters");
        // Keys after the highlighter's pass over the loaded file: a pass that took the whole line would hold them.
        await page.WaitForFunctionAsync("() => ReviewPortal.highlightSummary().files.includes(0)");
        await page.Keyboard.PressAsync("j");
        await ExpectCurrentAsync(page, 1);

        // The whole line, as plain text: no highlight range lies in it, and keys are still handled.
        await cell.GetByTestId("show-full-line").ClickAsync();
        await Assertions.Expect(cell.GetByTestId("full-line")).ToBeVisibleAsync();
        Assert.Equal(line.Length, await cell.GetByTestId("full-line").EvaluateAsync<int>("el => el.textContent.length"));
        Assert.Equal(0, await page.EvaluateAsync<int>(
            "() => { let n = 0; for (const h of CSS.highlights.values()) for (const r of h) if (r.startContainer.parentElement?.closest('td[data-cut]')) n++; return n; }"));
        await page.Keyboard.PressAsync("k");
        await ExpectCurrentAsync(page, 0);
        await page.Keyboard.PressAsync("j");
        await ExpectCurrentAsync(page, 1);
        await page.Context.CloseAsync();
    }

    private async Task SetStatusAsync(long id, FileDiffStatus status)
    {
        await using var scope = fixture.Portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        await db.FileDiffs.Where(d => db.ChangeFiles.Any(f => f.Id == d.FileId && db.Revisions.Any(r => r.Id == f.RevisionId && r.ChangeId == id)))
            .ExecuteUpdateAsync(set => set.SetProperty(d => d.Status, status));
    }

    private async Task AddRevisionAsync(long id)
    {
        await using (var scope = fixture.Portal.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            var recorder = scope.ServiceProvider.GetRequiredService<RevisionRecorder>();
            var change = await db.Changes.Include(c => c.Decisions).Include(c => c.Revisions).ThenInclude(r => r.RiskContributions).SingleAsync(c => c.Id == id);
            var files = Enumerable.Range(0, 2).Select(i => TwoHunkFile(i) is var (o, n) ? new IncomingFile($"src/Billing/Service{i}.cs", o, n + "// revised\n") : null!).ToList();
            recorder.Apply(change, recorder.Build(2, "e2e0000002", null, files));
            await db.SaveChangesAsync();
        }

        await WaitForDiffsAsync(id);
    }
}
