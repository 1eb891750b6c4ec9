using System.Data.Common;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using ReviewPortal.Domain.Diff;
using ReviewPortal.Testing;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Features.Admin;
using ReviewPortal.Web.Features.Ingest;
using ReviewPortal.Web.Features.Review;

namespace ReviewPortal.Web.Tests.Features.Review;

public sealed partial class ReviewPageDataTests(ReviewFixture fixture) : IClassFixture<ReviewFixture>
{
    private IServiceProvider Services => fixture.Services;

    private static List<(string Path, string? Old, string? New)> MarkedFiles(string tag, int count) =>
        Enumerable.Range(0, count).Select(i => ($"src/Module{i}/Service.cs", (string?)$"class Service{i}\n{{\n    // old {tag}-{i}\n}}\n", (string?)$"class Service{i}\n{{\n    // new {tag}-{i}\n}}\n")).ToList();

    private async Task<string> UserIdAsync(string email)
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        return (await users.FindByNameAsync(email))!.Id;
    }

    private async Task<HttpClient> SignedInAsync(string email)
    {
        var client = fixture.Factory.CreateClient();
        await FormSignIn.SignInAsync(client, email);
        return client;
    }

    [Fact]
    public async Task The_file_list_reads_no_file_contents_and_one_file_loads_its_contents_and_stored_diff()
    {
        var tag = Guid.NewGuid().ToString("N");
        var id = await fixture.SubmitAsync("Data: list without contents", MarkedFiles(tag, 5));
        await fixture.DrainAsync();
        var commands = new CommandLog();
        var factory = new PooledDbContextFactory<PortalDbContext>(new DbContextOptionsBuilder<PortalDbContext>()
            .UseNpgsql(Services.GetRequiredService<NpgsqlDataSource>()).AddInterceptors(commands).Options);
        var query = new ReviewQuery(factory, Services.GetRequiredService<RiskRuleProvider>(), NullLogger<ReviewQuery>.Instance);

        var model = await query.LoadAsync(id, null, null, await UserIdAsync(DemoLogin.Reviewer));

        Assert.Equal(5, model!.Files.Count);
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"src/Module{i}/Service.cs"), model.Files.Select(f => f.Path));
        Assert.All(model.Files, f => Assert.Equal((ReviewFileKind.Modified, DiffAvailability.Ready, 1, 1, 1), (f.Kind, f.Diff, f.Additions, f.Deletions, f.HunkCount)));
        Assert.NotEmpty(commands.Texts);
        // Contents may only be tested for NULL (added or deleted), never selected.
        Assert.All(commands.Texts, sql => Assert.DoesNotMatch(ContentSelected(), sql));

        commands.Texts.Clear();
        var content = await query.LoadFileAsync(model.Revision.Id, null, model.Files[2]);
        Assert.Equal($"    // new {tag}-2", content.NewLines[2]);
        Assert.Equal(FileDiff.Compute(string.Join("\n", content.OldLines) + "\n", string.Join("\n", content.NewLines) + "\n").Edits, content.Diff.Edits);
        Assert.Single(commands.Texts);
    }

    [Fact]
    public async Task The_page_renders_the_first_files_diffs_and_leaves_the_others_to_load_when_they_are_shown()
    {
        var tag = Guid.NewGuid().ToString("N");
        var id = await fixture.SubmitAsync("Data: progressive", MarkedFiles(tag, 6));
        await fixture.DrainAsync();
        using var client = await SignedInAsync(DemoLogin.Reviewer);

        var html = await client.GetStringAsync($"/changes/{id}");

        Assert.Equal(6, Occurrences(html, "data-testid=\"diff-file\""));
        Assert.Equal(6, Occurrences(html, "data-testid=\"tree-file\""));
        for (var i = 0; i < 6; i++)
        {
            Assert.Equal(i < ReviewFileLoader.InitialFiles, html.Contains($"{tag}-{i}<", StringComparison.Ordinal));
        }

        Assert.Equal(6 - ReviewFileLoader.InitialFiles, Occurrences(html, "data-load-state=\"waiting\""));
    }

    [Fact]
    public async Task A_file_whose_diff_is_pending_says_so_and_shows_the_diff_once_the_worker_stored_it()
    {
        var tag = Guid.NewGuid().ToString("N");
        var id = await fixture.SubmitAsync("Data: pending", MarkedFiles(tag, 1));
        using var client = await SignedInAsync(DemoLogin.Reviewer);

        var pending = await client.GetStringAsync($"/changes/{id}");
        Assert.Contains("data-testid=\"diff-pending\"", pending, StringComparison.Ordinal);
        Assert.Contains("Computing diff", pending, StringComparison.Ordinal);
        Assert.DoesNotContain($"{tag}-0<", pending, StringComparison.Ordinal);

        await fixture.DrainAsync();

        var ready = await client.GetStringAsync($"/changes/{id}");
        Assert.DoesNotContain("data-testid=\"diff-pending\"", ready, StringComparison.Ordinal);
        Assert.Contains($"{tag}-0<", ready, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Viewed_marks_belong_to_one_reviewer_and_one_revision()
    {
        var tag = Guid.NewGuid().ToString("N");
        var id = await fixture.SubmitAsync("Data: viewed marks", MarkedFiles(tag, 2));
        var query = Services.GetRequiredService<ReviewQuery>();
        var preferences = Services.GetRequiredService<ReviewPreferences>();
        var riley = await UserIdAsync(DemoLogin.Reviewer);
        var sam = await UserIdAsync(DemoLogin.SecondReviewer);
        var first = await query.LoadAsync(id, null, null, riley);

        await preferences.SetViewedAsync(riley, first!.Files[0].FileId!.Value, viewed: true);
        await preferences.SetViewedAsync(riley, first.Files[0].FileId!.Value, viewed: true);

        Assert.Equal([true, false], (await query.LoadAsync(id, null, null, riley))!.Files.Select(f => f.Viewed));
        Assert.Equal([false, false], (await query.LoadAsync(id, null, null, sam))!.Files.Select(f => f.Viewed));

        await AddRevisionAsync(id, MarkedFiles(tag + "-r2", 2));
        Assert.Equal([false, false], (await query.LoadAsync(id, null, null, riley))!.Files.Select(f => f.Viewed));
        Assert.Equal([true, false], (await query.LoadAsync(id, 1, null, riley))!.Files.Select(f => f.Viewed));

        await preferences.SetViewedAsync(riley, first.Files[0].FileId!.Value, viewed: false);
        Assert.Equal([false, false], (await query.LoadAsync(id, 1, null, riley))!.Files.Select(f => f.Viewed));
    }

    [Fact]
    public async Task The_diff_mode_is_kept_on_the_reviewer_and_the_page_opens_in_it()
    {
        var tag = Guid.NewGuid().ToString("N");
        var id = await fixture.SubmitAsync("Data: mode", MarkedFiles(tag, 1));
        await fixture.DrainAsync();
        var preferences = Services.GetRequiredService<ReviewPreferences>();
        var sam = await UserIdAsync(DemoLogin.SecondReviewer);
        using var client = await SignedInAsync(DemoLogin.SecondReviewer);

        await preferences.SetDiffModeAsync(sam, DiffViewMode.Unified);
        Assert.Equal(DiffViewMode.Unified, await preferences.DiffModeAsync(sam));
        var unified = await client.GetStringAsync($"/changes/{id}");
        Assert.Contains("data-testid=\"unified-diff\"", unified, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"side-by-side-diff\"", unified, StringComparison.Ordinal);

        await preferences.SetDiffModeAsync(sam, DiffViewMode.SideBySide);
        var sideBySide = await client.GetStringAsync($"/changes/{id}");
        Assert.Contains("data-testid=\"side-by-side-diff\"", sideBySide, StringComparison.Ordinal);
        Assert.Equal(DiffViewMode.SideBySide, await preferences.DiffModeAsync(await UserIdAsync(DemoLogin.Reviewer)));
    }

    [Fact]
    public async Task A_prompt_is_markdown_whose_html_is_shown_as_text()
    {
        var id = await fixture.SubmitAsync("Data: prompt", MarkedFiles("prompt", 1),
            prompt: "Make **totals** exact.\n\n<script>alert('owned')</script>\n\n[docs](javascript:alert(1)) and [spec](https://example.test/spec)");
        using var client = await SignedInAsync(DemoLogin.Reviewer);

        var html = await client.GetStringAsync($"/changes/{id}");

        var prompt = Regex.Match(html, "<div class=\"prompt markdown\" data-testid=\"prompt\">(?<body>.*?)</div>", RegexOptions.Singleline | RegexOptions.ExplicitCapture, TimeSpan.FromSeconds(1)).Groups["body"].Value;
        Assert.Contains("<strong>totals</strong>", prompt, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert('owned')&lt;/script&gt;", prompt, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", prompt, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("href=\"javascript:", prompt, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("href=\"\"", prompt, StringComparison.Ordinal);
        Assert.Contains("docs <code class=\"unsafe-link-target\">javascript:alert(1)</code> <span class=\"unsafe-link-marker\">(unsafe link removed)</span>", prompt, StringComparison.Ordinal);
        Assert.Contains("href=\"https://example.test/spec\"", prompt, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "DecisionIntegrity")]
    public async Task A_critical_change_shows_a_plain_reviewer_the_same_not_found_page_as_a_missing_change_and_none_of_its_data()
    {
        var id = await fixture.SubmitAsync("Rotate the signing keys of the token service",
        [
            ("src/Auth/TokenService.cs", "var key = Load();\n", "var key = LoadRotated();\n"),
            ("db/migrations/0042_keys.sql", null, "CREATE TABLE signing_keys (id int primary key);\n"),
        ]);
        using var reviewer = await SignedInAsync(DemoLogin.Reviewer);
        using var security = await SignedInAsync(DemoLogin.SecurityReviewer);

        var hidden = await reviewer.GetAsync($"/changes/{id}");
        var missing = await reviewer.GetAsync($"/changes/{long.MaxValue}");
        var hiddenHtml = await hidden.Content.ReadAsStringAsync();
        var missingHtml = await missing.Content.ReadAsStringAsync();

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (hidden.StatusCode, missing.StatusCode));
        Assert.Contains("data-testid=\"change-not-found\"", hiddenHtml, StringComparison.Ordinal);
        // What the page shows of either is the same, byte for byte (the rest differs only by the circuit's own markers).
        Assert.Equal(NotFoundSection(missingHtml), NotFoundSection(hiddenHtml));
        Assert.Equal(Title(missingHtml), Title(hiddenHtml));
        Assert.DoesNotContain("Rotate the signing keys", hiddenHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("TokenService", hiddenHtml, StringComparison.Ordinal);

        var allowed = await security.GetStringAsync($"/changes/{id}");
        Assert.Contains("Rotate the signing keys", allowed, StringComparison.Ordinal);
    }

    private static string NotFoundSection(string html)
    {
        var start = html.IndexOf("<section class=\"panel change-not-found\"", StringComparison.Ordinal);
        Assert.True(start >= 0, "No not-found section on the page.");
        return html[start..(html.IndexOf("</section>", start, StringComparison.Ordinal) + "</section>".Length)];
    }

    private static string Title(string html) =>
        html[html.IndexOf("<title>", StringComparison.Ordinal)..html.IndexOf("</title>", StringComparison.Ordinal)];

    [Fact]
    public async Task The_interdiff_lists_only_files_that_differ_and_computes_a_file_when_it_is_loaded()
    {
        var id = await fixture.SubmitAsync("Data: interdiff", [("src/A.cs", "a\n", "a1\n"), ("src/B.cs", "b\n", "b1\n")]);
        await AddRevisionAsync(id, [("src/A.cs", "a\n", "a2\n"), ("src/B.cs", "b\n", "b1\n"), ("src/C.cs", null, "c\n")]);
        var query = Services.GetRequiredService<ReviewQuery>();

        var model = await query.LoadAsync(id, 2, 1, null);

        Assert.Equal(["src/A.cs", "src/C.cs"], model!.Files.Select(f => f.Path));
        Assert.All(model.Files, f => Assert.Equal((DiffAvailability.OnDemand, (int?)null), (f.Diff, f.Additions)));
        var a = await query.LoadFileAsync(model.Revision.Id, model.EarlierRevisionId, model.Files[0]);
        Assert.Equal(["a1"], a.OldLines);
        Assert.Equal(["a2"], a.NewLines);
        Assert.Equal((1, 1), (a.Diff.Additions, a.Diff.Deletions));
        var c = await query.LoadFileAsync(model.Revision.Id, model.EarlierRevisionId, model.Files[1]);
        Assert.Equal((0, 1), (c.OldLines.Count, c.NewLines.Count));
    }

    private static int Occurrences(string text, string value)
    {
        var count = 0;
        for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private async Task AddRevisionAsync(long id, IEnumerable<(string Path, string? Old, string? New)> files)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var recorder = scope.ServiceProvider.GetRequiredService<RevisionRecorder>();
        var change = await db.Changes.Include(c => c.Decisions).Include(c => c.Revisions).ThenInclude(r => r.RiskContributions).SingleAsync(c => c.Id == id);
        recorder.Apply(change, recorder.Build(change.RevisionCount + 1, $"sha{change.RevisionCount + 1}", null, files.Select(f => new IncomingFile(f.Path, f.Old, f.New)).ToList()));
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task The_risk_thresholds_shown_are_those_of_the_rule_set_that_scored_the_revision()
    {
        var id = await fixture.SubmitAsync("Data: thresholds of its rule set", MarkedFiles(Guid.NewGuid().ToString("N"), 1));
        var yaml = Domain.Risk.RiskRuleSet.DefaultYaml.Replace("tiers: {medium: 20, high: 40, critical: 70}", "tiers: {medium: 15, high: 35, critical: 60}", StringComparison.Ordinal);
        var uploaded = Domain.Risk.RiskRuleSet.FromYaml(yaml).RuleSet!;
        await using (var scope = Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            if (!await db.RiskRuleSets.AnyAsync(r => r.Version == uploaded.Version))
            {
                // Stored as an earlier, inactive version: the other tests keep scoring with the default set.
                db.RiskRuleSets.Add(new RiskRuleSetVersion { Version = uploaded.Version, Yaml = yaml, CreatedBy = "test", CreatedAt = DateTimeOffset.UtcNow });
                await db.SaveChangesAsync();
            }

            await db.Revisions.Where(r => r.ChangeId == id).ExecuteUpdateAsync(r => r.SetProperty(x => x.RuleSetVersion, uploaded.Version));
        }

        var query = Services.GetRequiredService<ReviewQuery>();
        Assert.Equal(new Domain.Risk.TierThresholds(15, 35, 60), (await query.LoadAsync(id))!.Thresholds);

        await using (var scope = Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            await db.Revisions.Where(r => r.ChangeId == id).ExecuteUpdateAsync(r => r.SetProperty(x => x.RuleSetVersion, "rs-unknown"));
        }

        Assert.Null((await query.LoadAsync(id))!.Thresholds);
    }

    [GeneratedRegex("\"(Old|New)Content\"(?! IS (NOT )?NULL)", RegexOptions.ExplicitCapture, matchTimeoutMilliseconds: 1000)]
    private static partial Regex ContentSelected();

    private sealed class CommandLog : DbCommandInterceptor
    {
        public List<string> Texts { get; } = [];

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            lock (Texts)
            {
                Texts.Add(command.CommandText);
            }

            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }
    }
}
