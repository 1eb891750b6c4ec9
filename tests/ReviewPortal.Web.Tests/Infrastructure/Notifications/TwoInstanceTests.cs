using System.Diagnostics;
using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Testing;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Features.Admin;
using ReviewPortal.Web.Features.Decisions;
using ReviewPortal.Web.Features.Ingest.LocalGit;
using ReviewPortal.Web.Tests.Features.Ingest.LocalGit;
using ReviewPortal.Web.Tests.Features.Ingest.Webhooks;
using ReviewPortal.Web.Infrastructure.Notifications;
using Xunit.Abstractions;

namespace ReviewPortal.Web.Tests.Infrastructure.Notifications;

/// <summary>Two portal instances on one database, the second started after the first had migrated, as in a rolling deployment.</summary>
public sealed class TwoInstancesFixture : IAsyncLifetime
{
    public const string ReviewerEmail = "riley@acme.test";

    public PortalInstances Portals { get; private set; } = default!;

    public PortalFactory A => Portals[0];

    public PortalFactory B => Portals[1];

    public async Task InitializeAsync()
    {
        // The poller's timer stays out of the way: tests that poll call it themselves.
        Portals = await PortalInstances.StartAsync("twoinstances", 2, settings: new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["LocalGit:PollSeconds"] = "3600",
            // The diff worker's DiffsReady notices come at their own pace; these tests count the notices of submissions and decisions.
            ["Diffs:Worker:Enabled"] = "false",
        });
        await using var scope = A.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = new PortalUser { UserName = ReviewerEmail, Email = ReviewerEmail, EmailConfirmed = true, DisplayName = "Riley Reviewer" };
        Check(await users.CreateAsync(user, "Reviewer-Passw0rd!"));
        Check(await users.AddToRoleAsync(user, PortalRoles.Reviewer));
    }

    public async Task DisposeAsync() => await Portals.DisposeAsync();

    public static Task<long> SubmitAsync(HttpClient client, string title) =>
        client.SubmitChangeAsync(new
        {
            title,
            repository = "acme/orders",
            author = "orders-agent[bot]",
            agentSessionId = "sess_live",
            files = new[] { new { path = "src/Orders/Log.cs", oldContent = "log(a);\n", newContent = "logger.Info(a);\n" } },
        });

    public async Task<ClaimsPrincipal> ReviewerAsync()
    {
        await using var scope = A.Services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().FindByNameAsync(ReviewerEmail) ?? throw new InvalidOperationException(ReviewerEmail);
        return new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, user.Id)], "test"));
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
        }
    }
}

[Trait("Category", "LiveUpdates")]
public sealed class TwoInstanceTests(TwoInstancesFixture fixture, ITestOutputHelper output) : IClassFixture<TwoInstancesFixture>
{
    // The bound for a page to update; the notification itself is the part measured here.
    private static readonly TimeSpan Patience = Eventually.DefaultLimit;

    private ChangeFeed FeedOf(PortalFactory portal) => portal.Services.GetRequiredService<ChangeFeed>();

    // How long it took is reported, not asserted: the figure belongs to the live-updates benchmark, which measures it
    // on a quiet machine beside a baseline; here a loaded machine must not fail a notice that did arrive.
    private void Report(string what, TimeSpan latency) => output.WriteLine($"{what}: {latency.TotalMilliseconds:F1} ms");

    [Fact]
    public async Task A_change_submitted_through_one_instance_reaches_the_other_instance_and_its_own_feed()
    {
        using var onA = new ChangeFeedRecorder(FeedOf(fixture.A));
        using var onB = new ChangeFeedRecorder(FeedOf(fixture.B));
        using var client = fixture.A.CreateAgentClient();
        // The first request of a host compiles its queries: not what is measured.
        await onB.WaitForAsync(await TwoInstancesFixture.SubmitAsync(client, "Warm-up"), ChangeActivity.Arrived, Patience);

        var start = Stopwatch.GetTimestamp();
        var id = await TwoInstancesFixture.SubmitAsync(client, "Log through the logger");

        Report("API submission on A to B's feed", (await onB.WaitForAsync(id, ChangeActivity.Arrived, Patience)).Since(start));
        Report("API submission on A to A's feed", (await onA.WaitForAsync(id, ChangeActivity.Arrived, Patience)).Since(start));
        Assert.Single(onB.Log.Arrivals, a => a.Item.ChangeId == id);
    }

    [Fact]
    public async Task A_decision_on_one_instance_reaches_the_other()
    {
        using var client = fixture.A.CreateAgentClient();
        var id = await TwoInstancesFixture.SubmitAsync(client, "Decide me");
        using var onB = new ChangeFeedRecorder(FeedOf(fixture.B));
        var reviewer = await fixture.ReviewerAsync();
        var decisions = fixture.A.Services.GetRequiredService<DecisionService>();
        // The first decision of a host compiles the identity and decision queries: not what is measured.
        var warmUp = await TwoInstancesFixture.SubmitAsync(client, "Warm-up");
        Assert.True((await decisions.DecideAsync(warmUp, reviewer, await fixture.A.Services.HeadOfAsync(warmUp), DecisionKind.Reject, "Warm-up.")).Succeeded);

        var head = await fixture.A.Services.HeadOfAsync(id);
        var start = Stopwatch.GetTimestamp();
        var outcome = await decisions.DecideAsync(id, reviewer, head, DecisionKind.Approve, "Fine.");

        Assert.True(outcome.Succeeded, outcome.Message);
        Report("Decision on A to B's feed", (await onB.WaitForAsync(id, ChangeActivity.Decided, Patience)).Since(start));
    }

    [Fact]
    public async Task A_claim_on_one_instance_reaches_the_other()
    {
        using var client = fixture.A.CreateAgentClient();
        var id = await TwoInstancesFixture.SubmitAsync(client, "Claim me");
        using var onB = new ChangeFeedRecorder(FeedOf(fixture.B));

        var start = Stopwatch.GetTimestamp();
        await using (var db = await fixture.A.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync())
        {
            var change = await db.Changes.SingleAsync(c => c.Id == id);
            (change.AssignedToId, change.AssignedToName, change.AssignedAt) = ("user-riley", "Riley Reviewer", DateTimeOffset.UtcNow);
            await db.SaveChangesAsync();
        }

        Report("Claim on A to B's feed", (await onB.WaitForAsync(id, ChangeActivity.Assigned, Patience)).Since(start));
    }

    [Fact]
    public async Task A_listener_whose_connection_is_terminated_reconnects_tells_pages_to_resync_and_hears_the_next_change()
    {
        var listener = fixture.B.Services.GetRequiredService<ChangeListener>();
        await fixture.B.WaitUntilListeningAsync();
        var lostBackend = listener.BackendProcessId;
        var reconnects = listener.Reconnects;
        using var onB = new ChangeFeedRecorder(FeedOf(fixture.B));

        await using (var admin = new NpgsqlConnection(fixture.Portals.ConnectionString))
        {
            await admin.OpenAsync();
            await using var terminate = new NpgsqlCommand("SELECT pg_terminate_backend(@pid)", admin);
            terminate.Parameters.AddWithValue("pid", lostBackend);
            Assert.True((bool)(await terminate.ExecuteScalarAsync())!);
        }

        var resync = await onB.Log.WaitForAsync(n => n.Activity == ChangeActivity.Resync, Patience);
        Assert.Equal(ChangeNotification.Resync, resync.Item);
        Assert.NotEqual(lostBackend, listener.BackendProcessId);
        Assert.True(listener.IsListening);
        Assert.Equal(reconnects + 1, listener.Reconnects);

        using var client = fixture.A.CreateAgentClient();
        var start = Stopwatch.GetTimestamp();
        var id = await TwoInstancesFixture.SubmitAsync(client, "After the reconnect");
        Report("API submission on A to B's feed after B reconnected", (await onB.WaitForAsync(id, ChangeActivity.Arrived, Patience)).Since(start));
        Assert.Single(onB.Log.Arrivals, a => a.Item.Activity == ChangeActivity.Resync);
        using var http = fixture.B.CreateClient();
        Assert.Equal("Healthy", await http.GetStringAsync("/health"));
    }

    [Fact]
    public async Task Two_instances_polling_one_git_repository_at_once_ingest_each_branch_and_each_new_commit_once()
    {
        using var repo = await TestGitRepository.CreateAsync();
        await repo.CommitAsync("base", ("README.md", "readme\n"));
        for (var i = 1; i <= 3; i++)
        {
            await repo.CheckoutNewAsync($"agent/change-{i}");
            await repo.CommitAsync($"Change {i}\n\nAgent-Session: sess_{i}", ($"docs/{i}.md", $"Change {i}\n"));
        }

        await repo.CheckoutAsync("main");
        var repository = (await fixture.A.Services.GetRequiredService<RepositoryRegistry>().RegisterAsync(new RegisterRepositoryRequest(
            ScmProvider.LocalGit, $"local/{Guid.NewGuid():N}", null, null, null, repo.Path, AgentAccounts: ["*@agents.acme.test"]))).Repository;

        using var onB = new ChangeFeedRecorder(FeedOf(fixture.B));
        var first = await PollOnBothAsync(repository);

        Assert.Equal((3, 0), (first.Sum(r => r.Ingested), first.Sum(r => r.Failed)));
        await repo.CheckoutAsync("agent/change-2");
        await repo.CommitAsync("Change 2, revised", ("docs/2.md", "Change 2, revised\n"));
        await repo.CheckoutAsync("main");

        var second = await PollOnBothAsync(repository);

        Assert.Equal((1, 0), (second.Sum(r => r.Ingested), second.Sum(r => r.Failed)));
        await using var db = await fixture.A.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var changes = await db.Changes.Include(c => c.Revisions).Where(c => c.RepositoryId == repository.Id).OrderBy(c => c.ExternalNumber).ToListAsync();
        Assert.Equal([1, 2, 3], changes.Select(c => c.ExternalNumber!.Value));
        Assert.Equal([1, 2, 1], changes.Select(c => c.Revisions.Count));
        foreach (var change in changes)
        {
            await onB.WaitForAsync(change.Id, ChangeActivity.Arrived, Patience);
        }

        await onB.WaitForAsync(changes[1].Id, ChangeActivity.Revised, Patience);
    }

    private async Task<LocalGitPollResult[]> PollOnBothAsync(ScmRepository repository)
    {
        var pollers = new[] { fixture.A, fixture.B }.Select(p => p.Services.GetRequiredService<LocalGitPoller>()).ToList();
        using var start = new ManualResetEventSlim();
        var polls = pollers.Select(poller => Task.Run(async () =>
        {
            start.Wait(Eventually.DefaultLimit);
            return await poller.PollRepositoryAsync(repository, CancellationToken.None);
        })).ToList();
        start.Set();
        return await Task.WhenAll(polls);
    }

    [Fact]
    public async Task Webhook_deliveries_to_either_instance_are_processed_once_by_the_two_inbox_workers_and_heard_on_both()
    {
        await using var scm = await FakeScmServer.StartAsync();
        var repositoryName = $"acme/live-{Guid.NewGuid():N}";
        var repository = await fixture.A.Services.GetRequiredService<RepositoryRegistry>().RegisterAsync(new RegisterRepositoryRequest(
            ScmProvider.GitHub, repositoryName, null, scm.GitHubApiBase, "ghp_fake_token", null, AgentAccounts: ["*[bot]"]));
        using var onA = new ChangeFeedRecorder(FeedOf(fixture.A));
        using var onB = new ChangeFeedRecorder(FeedOf(fixture.B));
        var portals = new[] { fixture.A, fixture.B };
        for (var number = 1; number <= 6; number++)
        {
            scm.PutPullRequest(repositoryName, number, $"base{number:D7}", $"head{number:D7}", [new FakeFile($"docs/{number}.md", "a\n", $"b{number}\n")]);
            using var client = portals[number % 2].CreateClient();
            var body = System.Text.Encoding.UTF8.GetBytes(ScmPayloads.GitHubPullRequest("opened", repositoryName, number, $"base{number:D7}", $"head{number:D7}"));
            using var response = await client.SendAsync(WebhookFixture.SignedGitHub(repository, $"live-{repositoryName}-{number}", body));
            Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        }

        await using var db = await fixture.A.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var deliveries = await Eventually.ValueAsync(
            () => db.WebhookDeliveries.AsNoTracking().Where(d => d.RepositoryId == repository.Repository.Id).ToListAsync(),
            found => found.Count >= 6 && found.All(d => d.Status == DeliveryStatus.Done),
            "the inbox workers to process all six deliveries");

        // Claimed once each: a delivery taken by both workers would show two attempts.
        Assert.All(deliveries, d => Assert.Equal(1, d.Attempts));
        var changes = await db.Changes.Include(c => c.Revisions).AsNoTracking().Where(c => c.RepositoryId == repository.Repository.Id).ToListAsync();
        Assert.Equal(6, changes.Count);
        Assert.All(changes, c => Assert.Single(c.Revisions));
        foreach (var change in changes)
        {
            await onA.WaitForAsync(change.Id, ChangeActivity.Arrived, Patience);
            await onB.WaitForAsync(change.Id, ChangeActivity.Arrived, Patience);
        }
    }
}
