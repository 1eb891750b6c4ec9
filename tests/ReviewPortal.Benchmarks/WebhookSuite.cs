using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ReviewPortal.Domain.Webhooks;
using ReviewPortal.Testing;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Features.Admin;

namespace ReviewPortal.Benchmarks;

/// <summary>
/// Suite <c>webhook</c>: realistic signed GitHub pull_request deliveries (about 20 KB, opened and synchronize, every
/// delivery id new) sent open-loop to the real endpoint on Kestrel while the inbox worker processes them against a
/// fake GitHub in the same process. Baseline: the same load against a bare Kestrel endpoint in the same run.
/// </summary>
public static class WebhookSuite
{
    private const string Repository = "acme/payments-api";
    private const int PullRequests = 50;
    private const int HeadsPerPullRequest = 10;

    public static async Task<Dictionary<string, object?>> RunAsync(int rate, TimeSpan warmUp, TimeSpan measured, bool worker = true)
    {
        await using var scm = await FakeScmServer.StartAsync();
        for (var pr = 1; pr <= PullRequests; pr++)
        {
            for (var head = 0; head < HeadsPerPullRequest; head++)
            {
                scm.PutPullRequest(Repository, pr, Sha("base", pr, 0), Sha("head", pr, head), Files(pr, head));
            }
        }

        await using var portal = await PortalFactory.CreateAsync("bench", settings: new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
            ["Webhooks:Worker:Enabled"] = worker ? "true" : "false",
        });
        var baseAddress = portal.StartOnKestrel();
        var registered = await portal.Services.GetRequiredService<RepositoryRegistry>()
            .RegisterAsync(new RegisterRepositoryRequest(ScmProvider.GitHub, Repository, null, scm.GitHubApiBase, "ghp_benchmark", null, AgentAccounts: ["*[bot]"]));
        var secret = Encoding.UTF8.GetBytes(registered.WebhookSecret);

        // Bodies depend on (pull request, head); the delivery id (a header) is new for every request.
        var bodies = new Dictionary<(int, int), (byte[] Body, string Signature)>();
        for (var pr = 1; pr <= PullRequests; pr++)
        {
            for (var head = 0; head < HeadsPerPullRequest; head++)
            {
                var body = Encoding.UTF8.GetBytes(ScmPayloads.GitHubPullRequest(head == 0 ? "opened" : "synchronize", Repository, pr,
                    Sha("base", pr, 0), Sha("head", pr, head), $"Agent change {pr}", Description(pr), padding: Padding(pr)));
                bodies[(pr, head)] = (body, WebhookSignature.ComputeGitHub(secret, body));
            }
        }

        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 512, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            Timeout = TimeSpan.FromSeconds(30),
        };
        var sequence = 0;
        HttpRequestMessage Delivery(Uri target, int i)
        {
            var n = Interlocked.Increment(ref sequence);
            var pr = (n % PullRequests) + 1;
            var head = n / PullRequests % HeadsPerPullRequest;
            var (body, signature) = bodies[(pr, head)];
            var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.Add("X-GitHub-Event", "pull_request");
            request.Headers.Add("X-GitHub-Delivery", Guid.NewGuid().ToString());
            request.Headers.Add("X-Hub-Signature-256", signature);
            return request;
        }

        var webhookUri = new Uri(baseAddress, registered.WebhookPath);
        var baselineUri = new Uri(scm.BaseAddress, "baseline");

        Console.Error.WriteLine($"webhook: warm-up {warmUp.TotalSeconds:0} s at {rate}/s ...");
        await OpenLoopLoad.RunAsync(client, rate, warmUp, i => Delivery(webhookUri, i));
        await OpenLoopLoad.RunAsync(client, rate, TimeSpan.FromSeconds(2), i => Delivery(baselineUri, i));
        var (storedBefore, doneBefore) = await CountAsync(portal);

        Console.Error.WriteLine($"webhook: measuring {measured.TotalSeconds:0} s at {rate}/s ...");
        var portalRun = await OpenLoopLoad.RunAsync(client, rate, measured, i => Delivery(webhookUri, i));
        var (storedAfter, doneAfter) = await CountAsync(portal);

        Console.Error.WriteLine($"webhook: baseline {measured.TotalSeconds:0} s at {rate}/s against a bare endpoint ...");
        var baseline = await OpenLoopLoad.RunAsync(client, rate, measured, i => Delivery(baselineUri, i));

        // Correctness of what was timed: every acknowledged delivery (all ids new) is in the inbox exactly once,
        // and the worker turned deliveries into changes with revisions fetched from the fake GitHub.
        var acknowledged = portalRun.Completed - portalRun.Non2xx;
        var stored = storedAfter - storedBefore;
        var changes = await ChangesWithRevisionsAsync(portal, registered.Repository.Id);
        var correct = stored == acknowledged && (changes > 0 || !worker);

        return new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["suite"] = "webhook",
            ["worker_running"] = worker,
            ["requested_rps"] = rate,
            ["duration_s"] = Math.Round(measured.TotalSeconds, 1),
            ["warmup_s"] = Math.Round(warmUp.TotalSeconds, 1),
            ["payload_bytes"] = bodies.Values.Average(b => b.Body.Length),
            ["rate_rps"] = Round(portalRun.RateRps),
            ["p50_ms"] = Round(portalRun.Percentile(50)),
            ["p99_ms"] = Round(portalRun.Percentile(99)),
            ["max_ms"] = Round(portalRun.Percentile(100)),
            ["non2xx"] = portalRun.Non2xx,
            ["errors"] = portalRun.Errors,
            ["acknowledged"] = acknowledged,
            ["stored_in_inbox"] = stored,
            ["processed_by_worker_during_run"] = doneAfter - doneBefore,
            ["changes_with_revisions"] = changes,
            ["baseline"] = "bare Kestrel POST endpoint (reads the body, answers 202), same payloads, same client, same run",
            ["baseline_rate_rps"] = Round(baseline.RateRps),
            ["baseline_p50_ms"] = Round(baseline.Percentile(50)),
            ["baseline_p99_ms"] = Round(baseline.Percentile(99)),
            ["correct"] = correct,
            ["measured_at"] = DateTimeOffset.UtcNow.ToString("u", CultureInfo.InvariantCulture),
        };
    }

    private static double Round(double value) => Math.Round(value, 2);

    private static async Task<(int Stored, int Done)> CountAsync(PortalFactory portal)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        return (await db.WebhookDeliveries.CountAsync(), await db.WebhookDeliveries.CountAsync(d => d.Status == DeliveryStatus.Done));
    }

    private static async Task<int> ChangesWithRevisionsAsync(PortalFactory portal, long repositoryId)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        return await db.Changes.CountAsync(c => c.RepositoryId == repositoryId && c.RevisionCount > 0);
    }

    private static string Sha(string kind, int pr, int n) => Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData(Encoding.UTF8.GetBytes($"{kind}-{pr}-{n}")));

    private static List<FakeFile> Files(int pr, int head)
    {
        var service = new StringBuilder();
        for (var i = 0; i < 120; i++)
        {
            service.Append(CultureInfo.InvariantCulture, $"    public decimal Compute{i}(decimal amount) => amount * {i + 1}m;\n");
        }

        var changed = service.ToString().Replace($"Compute{pr % 120}(", $"Compute{pr % 120}Checked(", StringComparison.Ordinal)
                      + $"    // revision {head}\n";
        return
        [
            new FakeFile($"src/Billing/Service{pr}.cs", "public sealed class Service\n{\n" + service + "}\n", "public sealed class Service\n{\n" + changed + "}\n"),
            new FakeFile($"docs/service{pr}.md", "# Service\n", $"# Service\n\nRevision {head} of the agent's change.\n"),
        ];
    }

    private static string Description(int pr) =>
        $"Agent-Session: sess_{pr:D5}\nModel: claude-sonnet-4.5\nPrompter: dana@acme.test\n\nRefactor the billing service computations (#{pr}).";

    /// <summary>Real pull_request payloads are large mostly because of the description and the nested objects; pad to about 20 KB.</summary>
    private static string Padding(int pr)
    {
        var text = new StringBuilder("\n\n## Details\n");
        while (text.Length < 17_500)
        {
            text.Append(CultureInfo.InvariantCulture, $"- Updated computation path {text.Length % 97} for invoice batch {pr}; verified against fixtures and the ledger export.\n");
        }

        return text.ToString();
    }
}
