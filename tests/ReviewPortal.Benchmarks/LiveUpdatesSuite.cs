using System.Diagnostics;
using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Testing;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Features.Decisions;
using ReviewPortal.Web.Infrastructure.Notifications;

namespace ReviewPortal.Benchmarks;

/// <summary>
/// Suite <c>live-updates</c>: two portal instances on one database, every background worker running. A change is
/// submitted through instance A's API and approved through A's decision service; what is timed is how long the
/// notice takes to reach instance B's change feed (which fans it out to B's circuits), the path that redraws a queue
/// open on another instance. Baseline, in the same run: the same notice reaching A's own feed (its own LISTEN
/// connection, so the difference is B's share). Target: within a second. Each run is checked: B reads the change,
/// and then its approved state, from the database.
/// </summary>
public static class LiveUpdatesSuite
{
    private const string ReviewerEmail = "bench-reviewer@acme.test";
    private const double TargetMs = 1000;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public static async Task<Dictionary<string, object?>> RunAsync(int runs, int warmUps)
    {
        await using var portals = await PortalInstances.StartAsync("bench-live", 2, settings: new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["Logging:LogLevel:Default"] = "Warning",
        });
        var (a, b) = (portals[0], portals[1]);
        var reviewer = await CreateReviewerAsync(a);
        using var client = a.CreateAgentClient();
        using var onA = new ChangeFeedRecorder(a.Services.GetRequiredService<ChangeFeed>());
        using var onB = new ChangeFeedRecorder(b.Services.GetRequiredService<ChangeFeed>());
        var decisions = a.Services.GetRequiredService<DecisionService>();

        var samples = new List<Sample>();
        var correct = true;
        for (var i = 0; i < warmUps + runs; i++)
        {
            var start = Stopwatch.GetTimestamp();
            var id = await client.SubmitChangeAsync(new
            {
                title = $"Log through the logger ({i})",
                repository = "acme/orders",
                author = "orders-agent[bot]",
                agentSessionId = $"sess_bench_{i}",
                files = new[] { new { path = $"src/Orders/Log{i}.cs", oldContent = "log(a);\n", newContent = "logger.Info(a);\n" } },
            });
            var arrivedOnB = (await onB.WaitForAsync(id, ChangeActivity.Arrived, Patience)).Since(start);
            var arrivedOnA = (await onA.WaitForAsync(id, ChangeActivity.Arrived, Patience)).Since(start);
            correct &= await StateOnAsync(b, id) is not null;

            var head = await a.Services.HeadOfAsync(id);
            start = Stopwatch.GetTimestamp();
            var outcome = await decisions.DecideAsync(id, reviewer, head, DecisionKind.Approve, "Fine.");
            var decidedOnB = (await onB.WaitForAsync(id, ChangeActivity.Decided, Patience)).Since(start);
            var decidedOnA = (await onA.WaitForAsync(id, ChangeActivity.Decided, Patience)).Since(start);
            correct &= outcome.Succeeded && await StateOnAsync(b, id) == ChangeState.Approved;

            if (i >= warmUps)
            {
                samples.Add(new Sample(arrivedOnB.TotalMilliseconds, arrivedOnA.TotalMilliseconds, decidedOnB.TotalMilliseconds, decidedOnA.TotalMilliseconds));
            }
        }

        var arrived = Median(samples.Select(s => s.ArrivedOnB));
        var decided = Median(samples.Select(s => s.DecidedOnB));
        return new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["suite"] = "live-updates",
            ["runs"] = runs,
            ["warm_ups"] = warmUps,
            ["submission_to_other_instance_ms"] = arrived,
            ["submission_to_other_instance_p95_ms"] = Percentile(samples.Select(s => s.ArrivedOnB), 0.95),
            ["submission_to_same_instance_ms"] = Median(samples.Select(s => s.ArrivedOnA)),
            ["decision_to_other_instance_ms"] = decided,
            ["decision_to_other_instance_p95_ms"] = Percentile(samples.Select(s => s.DecidedOnB), 0.95),
            ["decision_to_same_instance_ms"] = Median(samples.Select(s => s.DecidedOnA)),
            ["target_ms"] = TargetMs,
            ["within_target"] = arrived <= TargetMs && decided <= TargetMs,
            ["correct"] = correct,
            ["machine_cores"] = Environment.ProcessorCount,
        };
    }

    private static async Task<ChangeState?> StateOnAsync(PortalFactory portal, long id)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Changes.AsNoTracking()
            .Where(c => c.Id == id).Select(c => (ChangeState?)c.State).FirstOrDefaultAsync();
    }

    private static async Task<ClaimsPrincipal> CreateReviewerAsync(PortalFactory portal)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = new PortalUser { UserName = ReviewerEmail, Email = ReviewerEmail, EmailConfirmed = true, DisplayName = "Bench Reviewer" };
        foreach (var result in new[] { await users.CreateAsync(user, "Reviewer-Passw0rd!"), await users.AddToRoleAsync(user, PortalRoles.Reviewer) })
        {
            if (!result.Succeeded)
            {
                throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
            }
        }

        return new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, user.Id)], "bench"));
    }

    private static double Median(IEnumerable<double> values) => Percentile(values, 0.5);

    private static double Percentile(IEnumerable<double> values, double p)
    {
        var sorted = values.Order().ToList();
        var rank = (sorted.Count - 1) * p;
        var (low, high) = ((int)Math.Floor(rank), (int)Math.Ceiling(rank));
        return Math.Round(sorted[low] + ((sorted[high] - sorted[low]) * (rank - low)), 1);
    }

    private sealed record Sample(double ArrivedOnB, double ArrivedOnA, double DecidedOnB, double DecidedOnA);
}
