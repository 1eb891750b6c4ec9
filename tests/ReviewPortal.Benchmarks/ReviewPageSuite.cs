using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using ReviewPortal.Domain.Diff;
using ReviewPortal.Testing;
using ReviewPortal.Web.Data;

namespace ReviewPortal.Benchmarks;

/// <summary>
/// Suite <c>review-page</c>: a 300-file pull request with 20,000 changed lines of source code is submitted through
/// the real API to the portal on Kestrel, whose background worker computes and stores every file's diff. Then, in
/// Chromium signed in as a reviewer: from navigation start until the first file's diff is rendered and a <c>j</c>
/// keypress has been handled (the second file is current), repeated after a warm-up; the baseline is the same
/// measurement on a one-file change in the same run.
/// </summary>
public static class ReviewPageSuite
{
    private const int Files = 300;
    private const int ChangedLines = 20_000;
    private const double TargetMs = 2_000;

    // In the page: when the first file's diff table appeared, when keys were handled and when j was,
    // in milliseconds since navigation start (performance.now()).
    private const string MarksScript = """
        (() => {
          window.__marks = {};
          const check = () => {
            const m = window.__marks;
            if (m.firstDiff === undefined && document.querySelector('article[data-file-index="0"] table')) m.firstDiff = performance.now();
            if (m.circuit === undefined && document.querySelector('[data-testid=review-page][data-interactive=true]')) m.circuit = performance.now();
            if (m.keysReady === undefined && document.querySelector('[data-testid=review-page][data-keys=ready]')) {
              m.keysReady = performance.now();
              m.loadedAtKeys = document.querySelectorAll('article[data-load-state=loaded]').length;
              m.elementsAtKeys = document.getElementsByTagName('*').length;
            }
            // j handled: the second file is current, or on a one-file change the page says it is the last file.
            if (m.jHandled === undefined && document.querySelector('article[data-file-index="1"][data-current="true"], [data-testid=navigation-note][data-edge=last]')) m.jHandled = performance.now();
          };
          new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true });
        })();
        """;

    public static async Task<Dictionary<string, object?>> RunAsync(int runs, int warmUps)
    {
        await using var portal = await PortalFactory.CreateAsync("bench-review", seedDemo: true, settings: new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
            ["LocalGit:PollSeconds"] = "3600",
        });
        var baseAddress = portal.StartOnKestrel();

        var files = PullRequest();
        var changed = SourceCodeChange.ChangedLines(files);
        Console.Error.WriteLine($"review-page: {SourceCodeChange.Describe(files)}, {changed} changed lines; submitting ...");
        var ingest = Stopwatch.StartNew();
        var large = await SubmitAsync(baseAddress, "Benchmark: 300-file refactor", files);
        var submitMs = ingest.Elapsed.TotalMilliseconds;
        await WaitForDiffsAsync(portal, large, TimeSpan.FromMinutes(5));
        var readyMs = ingest.Elapsed.TotalMilliseconds;
        var one = SourceCodeChange.PullRequest(1, 60, seed: 7);
        var small = await SubmitAsync(baseAddress, "Benchmark: one file", one);
        await WaitForDiffsAsync(portal, small, TimeSpan.FromMinutes(1));
        var (readyFiles, scriptsCorrect, computeMs) = await CheckDiffsAsync(portal, large, files);
        Console.Error.WriteLine($"review-page: {readyFiles} diffs ready {readyMs / 1000:0.0} s after submission (worker compute {computeMs:0} ms in all), scripts correct: {scriptsCorrect}");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        context.SetDefaultTimeout(45_000);
        await context.AddInitScriptAsync(MarksScript);
        var page = await context.NewPageAsync();
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                Console.Error.WriteLine($"review-page: browser {message.Type}: {message.Text}");
            }
        };
        page.Crash += (_, _) => Console.Error.WriteLine("review-page: the browser page crashed");
        await SignInAsync(page);

        var largeRuns = new List<Run>();
        var smallRuns = new List<Run>();
        for (var i = 0; i < warmUps + runs; i++)
        {
            var largeRun = await MeasureWithRetryAsync(page, large);
            var smallRun = await MeasureWithRetryAsync(page, small);
            Console.Error.WriteLine($"review-page: diagnostics {string.Join(", ", largeRun.Marks.Select(kv => $"{kv.Key}={kv.Value:0}"))}");
            Console.Error.WriteLine($"review-page: {(i < warmUps ? "warm-up" : "run")} {i + 1}: 300 files {largeRun.InteractiveMs:0} ms (first diff {largeRun.FirstDiffMs:0} ms, circuit {largeRun.CircuitMs:0} ms, keys {largeRun.KeysReadyMs:0} ms), one file {smallRun.InteractiveMs:0} ms");
            if (i >= warmUps)
            {
                largeRuns.Add(largeRun);
                smallRuns.Add(smallRun);
            }
        }

        var interactive = Median(largeRuns.Select(r => r.InteractiveMs));
        var correct = readyFiles == Files && scriptsCorrect && changed == ChangedLines;
        return new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["suite"] = "review-page",
            ["interactive_ms"] = Round(interactive),
            ["interactive_min_ms"] = Round(largeRuns.Min(r => r.InteractiveMs)),
            ["interactive_max_ms"] = Round(largeRuns.Max(r => r.InteractiveMs)),
            ["first_diff_ms"] = Round(Median(largeRuns.Select(r => r.FirstDiffMs))),
            ["circuit_rendered_ms"] = Round(Median(largeRuns.Select(r => r.CircuitMs))),
            ["keys_ready_ms"] = Round(Median(largeRuns.Select(r => r.KeysReadyMs))),
            ["runs"] = runs,
            ["warmup_runs"] = warmUps,
            ["files"] = files.Count,
            ["changed_lines"] = changed,
            ["source_kb"] = files.Sum(f => f.OldContent.Length + f.NewContent.Length) / 1024,
            ["target_ms"] = TargetMs,
            ["within_target"] = interactive <= TargetMs,
            ["baseline"] = "the same measurement on a one-file change, same browser and portal, interleaved with the 300-file runs",
            ["baseline_interactive_ms"] = Round(Median(smallRuns.Select(r => r.InteractiveMs))),
            ["baseline_min_ms"] = Round(smallRuns.Min(r => r.InteractiveMs)),
            ["baseline_max_ms"] = Round(smallRuns.Max(r => r.InteractiveMs)),
            ["submit_ms"] = Round(submitMs),
            ["diffs_ready_after_submit_ms"] = Round(readyMs),
            ["worker_compute_ms_total"] = Round(computeMs),
            ["diffs_ready"] = readyFiles,
            ["timed_out_attempts"] = failedAttempts,
            ["correct"] = correct,
            ["measured_at"] = DateTimeOffset.UtcNow.ToString("u", CultureInfo.InvariantCulture),
        };
    }

    private sealed record Run(double InteractiveMs, double FirstDiffMs, double KeysReadyMs, double CircuitMs, Dictionary<string, double> Marks);

    /// <summary>
    /// The pull request: 300 files whose changed lines total exactly 20,000 as the portal counts them; the last file
    /// takes up the difference with inserted lines.
    /// </summary>
    private static List<SourceCodeChange.File> PullRequest()
    {
        var files = SourceCodeChange.PullRequest(Files, ChangedLines - 600);
        var missing = ChangedLines - SourceCodeChange.ChangedLines(files);
        if (missing > 0)
        {
            var last = files[^1];
            var extra = string.Concat(Enumerable.Range(0, missing).Select(k => $"// Follow-up {k}: keep the audit trail of this service in step with the ledger.\n"));
            files[^1] = last with { NewContent = last.NewContent + extra };
        }

        return files;
    }

    private static async Task<long> SubmitAsync(Uri baseAddress, string title, IEnumerable<SourceCodeChange.File> files)
    {
        using var client = AgentApi.Client(baseAddress, TimeSpan.FromMinutes(2));
        return await client.SubmitChangeAsync(new
        {
            title,
            repository = "acme/monolith",
            author = "refactor-agent[bot]",
            prompter = "dana@acme.test",
            agentSessionId = "sess_bench",
            modelVersion = "claude-sonnet-4.5",
            agentTool = "claude-code",
            prompt = "Rename the Compute* methods to Calculate*, add audit calls and drop the unused helpers.",
            files = files.Select(f => new { path = f.Path, oldContent = f.OldContent, newContent = f.NewContent }).ToList(),
        });
    }

    private static IQueryable<FileDiffRecord> DiffsOf(PortalDbContext db, long changeId) =>
        db.FileDiffs.Where(d => db.ChangeFiles.Any(f => f.Id == d.FileId && db.Revisions.Any(r => r.Id == f.RevisionId && r.ChangeId == changeId)));

    private static async Task WaitForDiffsAsync(PortalFactory portal, long changeId, TimeSpan timeout)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (DateTimeOffset.UtcNow < deadline)
        {
            await using var scope = portal.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            if (!await DiffsOf(db, changeId).AnyAsync(d => d.Status == FileDiffStatus.Pending))
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The diffs of change {changeId} were not computed within {timeout}.");
    }

    /// <summary>Every file's stored diff is Ready, and applying its edit script to the old file gives the new file.</summary>
    private static async Task<(int Ready, bool Correct, double ComputeMs)> CheckDiffsAsync(PortalFactory portal, long changeId, List<SourceCodeChange.File> files)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var stored = await db.ChangeFiles.AsNoTracking().Include(f => f.Diff)
            .Where(f => db.Revisions.Any(r => r.Id == f.RevisionId && r.ChangeId == changeId)).ToListAsync();
        var byPath = files.ToDictionary(f => f.Path, StringComparer.Ordinal);
        var correct = stored.Count == files.Count;
        foreach (var file in stored)
        {
            if (file.Diff is not { Status: FileDiffStatus.Ready, Script: { } script } || !byPath.TryGetValue(file.Path, out var source))
            {
                correct = false;
                continue;
            }

            var diff = FileDiff.Deserialize(script);
            var oldLines = DiffText.SplitLines(source.OldContent);
            var newLines = DiffText.SplitLines(source.NewContent);
            var rebuilt = new List<string>();
            foreach (var edit in diff.Edits)
            {
                if (edit.Kind == EditKind.Equal)
                {
                    rebuilt.AddRange(oldLines.Skip(edit.OldStart).Take(edit.Count));
                }
                else if (edit.Kind == EditKind.Insert)
                {
                    rebuilt.AddRange(newLines.Skip(edit.NewStart).Take(edit.Count));
                }
            }

            correct &= rebuilt.SequenceEqual(newLines, StringComparer.Ordinal);
        }

        return (stored.Count(f => f.Diff?.Status == FileDiffStatus.Ready), correct, stored.Sum(f => f.Diff?.ComputeMilliseconds ?? 0));
    }

    private static async Task SignInAsync(IPage page)
    {
        await page.GotoAsync("/Account/Login");
        // A pull request this size touches identity code and migrations: tier 4, which only security reviewers see.
        await page.GetByLabel("Email").FillAsync(DemoLogin.SecurityReviewer);
        await page.GetByLabel("Password").FillAsync(DemoLogin.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/queue/security");
    }

    /// <summary>Navigates to the change, presses j as soon as the first diff shows and keys are handled, and reads the page's marks.</summary>
    private static async Task<Dictionary<string, double>> BrowserMetricsAsync(ICDPSession cdp)
    {
        var metrics = await cdp.SendAsync("Performance.getMetrics");
        return metrics!.Value.GetProperty("metrics").EnumerateArray()
            .Where(m => m.GetProperty("name").GetString() is "ScriptDuration" or "LayoutDuration" or "RecalcStyleDuration" or "TaskDuration")
            .ToDictionary(m => m.GetProperty("name").GetString()!, m => m.GetProperty("value").GetDouble() * 1000, StringComparer.Ordinal);
    }

    private static async Task<Run> MeasureAsync(IPage page, long changeId)
    {
        await page.GotoAsync("about:blank");
        var cdp = await page.Context.NewCDPSessionAsync(page);
        await cdp.SendAsync("Performance.enable");
        var before = await BrowserMetricsAsync(cdp);
        await page.GotoAsync($"/changes/{changeId}", new PageGotoOptions { WaitUntil = WaitUntilState.Commit });
        try
        {
            await page.Locator("article[data-file-index=\"0\"] table").WaitForAsync();
        }
        catch (TimeoutException ex)
        {
            var shown = await page.Locator("main").InnerTextAsync();
            throw new InvalidOperationException($"Change {changeId} showed no diff: {shown[..Math.Min(600, shown.Length)]}", ex);
        }

        await page.Locator("[data-testid=review-page][data-keys=ready]").WaitForAsync();
        await page.Keyboard.PressAsync("j");
        await page.Locator("article[data-file-index=\"1\"][data-current=\"true\"], [data-testid=navigation-note][data-edge=last]").First.WaitForAsync();
        var marks = await page.EvaluateAsync<Dictionary<string, double>>("() => window.__marks");
        foreach (var (name, value) in await BrowserMetricsAsync(cdp))
        {
            marks["browser" + name] = value - before.GetValueOrDefault(name);
        }

        await cdp.DetachAsync();
        return new Run(marks["jHandled"], marks["firstDiff"], marks["keysReady"], marks["circuit"], marks);
    }

    private static int failedAttempts;

    /// <summary>A run that does not finish within the timeout is reported (with a screenshot) and retried once; the JSON counts them.</summary>
    private static async Task<Run> MeasureWithRetryAsync(IPage page, long changeId)
    {
        try
        {
            return await MeasureAsync(page, changeId);
        }
        catch (TimeoutException ex)
        {
            failedAttempts++;
            var shot = Path.Combine(Path.GetTempPath(), $"review-page-timeout-{failedAttempts}.png");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = shot });
            Console.Error.WriteLine($"review-page: a run timed out ({ex.Message.Split('\n')[0]}); screenshot {shot}; retrying once");
            return await MeasureAsync(page, changeId);
        }
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static double Round(double value) => Math.Round(value, 1);
}
