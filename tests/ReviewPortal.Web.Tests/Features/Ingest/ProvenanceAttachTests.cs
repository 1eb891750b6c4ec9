using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ReviewPortal.Domain.Changes;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Testing;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Features.Admin;
using ReviewPortal.Web.Features.Decisions;
using ReviewPortal.Web.Infrastructure.Notifications;
using ReviewPortal.Web.Tests.Features.Ingest.Webhooks;

namespace ReviewPortal.Web.Tests.Features.Ingest;

/// <summary>Who may attach provenance, what an attach does to approvals, and how it is recorded.</summary>
public sealed class ProvenanceAttachTests(WebhookFixture fixture) : IClassFixture<WebhookFixture>
{
    private const string Repo = WebhookFixture.GitHubRepository;

    private async Task<(ApiClient Client, HttpClient Http)> NewClientAsync(string name, bool grantRepository)
    {
        var registry = fixture.Factory.Services.GetRequiredService<ApiClientRegistry>();
        var created = await registry.CreateAsync(name, "test admin");
        if (grantRepository)
        {
            Assert.Equal(GrantOutcome.Granted, await registry.GrantAsync(created.Client.Id, fixture.GitHub.Repository.Id, "test admin"));
        }

        var http = fixture.Factory.CreateClient();
        http.DefaultRequestHeaders.Add("X-Api-Key", created.Key);
        return (created.Client, http);
    }

    /// <summary>Submits a change to <paramref name="repository"/> through the API and gives it <paramref name="headSha"/>.</summary>
    private async Task<long> SubmitWithHeadAsync(HttpClient submitter, string repository, string headSha)
    {
        var submitted = await submitter.PostAsJsonAsync("/api/changes", new
        {
            title = "Round totals", repository, author = "orders-agent[bot]", agentSessionId = "sess_own",
            files = new[] { new { path = "src/Orders/Totals.cs", oldContent = "a\n", newContent = "b\n" } },
        });
        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        var id = (await submitted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Changes.Where(c => c.Id == id)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.HeadSha, headSha));
        return id;
    }

    private async Task<Change> LoadAsync(long id)
    {
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Changes.AsNoTracking()
            .Include(c => c.Decisions).Include(c => c.Events).AsSplitQuery().SingleAsync(c => c.Id == id);
    }

    [Fact]
    [Trait("Category", "DecisionIntegrity")]
    public async Task A_client_that_neither_submitted_the_change_nor_was_granted_its_repository_gets_403_and_nothing_changes()
    {
        var change = await fixture.OpenPullRequestAsync(61, "head0000061", "Agent-Session: sess_61\nPrompter: dana@demo.local");
        var before = await LoadAsync(change.Id);
        var (_, stranger) = await NewClientAsync("stranger-agent", grantRepository: false);

        var response = await stranger.PostAsJsonAsync("/api/changes/provenance", new { repository = Repo, number = 61, prompter = "mallory@acme.test", agentSessionId = "sess_forged", coveragePercent = 99.0 });
        var missing = await stranger.PostAsJsonAsync("/api/changes/provenance", new { repository = Repo, number = 6161, prompter = "mallory@acme.test" });

        var problem = await ProblemJson.ReadAsync(response, HttpStatusCode.Forbidden);
        var missingProblem = await ProblemJson.ReadAsync(missing, HttpStatusCode.Forbidden);
        // A change the client may not touch and one that does not exist answer alike (but for the request's own
        // trace id), so the key learns nothing.
        Assert.Equal(WithoutTraceId(missingProblem), WithoutTraceId(problem));
        Assert.DoesNotContain(change.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        // Automatic assignment may pick the new change up meanwhile; everything an attach writes stays as it was.
        var after = await LoadAsync(change.Id);
        Assert.Equal(
            (before.Prompter, before.AgentSessionId, before.ModelVersion, before.Prompt, before.Provenance, before.AuthorshipReason, before.RiskScore, before.Tier, before.State),
            (after.Prompter, after.AgentSessionId, after.ModelVersion, after.Prompt, after.Provenance, after.AuthorshipReason, after.RiskScore, after.Tier, after.State));
        Assert.DoesNotContain(after.Events, e => e.Kind is ChangeEventKind.ProvenanceAttached or ChangeEventKind.Rescored or ChangeEventKind.ApprovalsReset);
    }

    private static Dictionary<string, string> WithoutTraceId(JsonElement problem) =>
        problem.EnumerateObject().Where(p => p.Name != "traceId").ToDictionary(p => p.Name, p => p.Value.GetRawText(), StringComparer.Ordinal);

    [Fact]
    [Trait("Category", "DecisionIntegrity")]
    public async Task A_client_granted_the_repository_may_attach_and_learns_when_a_number_has_no_change()
    {
        var change = await fixture.OpenPullRequestAsync(62, "head0000062", null);
        var (_, granted) = await NewClientAsync("granted-agent", grantRepository: true);

        var response = await granted.PostAsJsonAsync("/api/changes/provenance", new { repository = Repo, number = 62, agentSessionId = "sess_62", prompter = "riley@acme.test" });
        var missing = await granted.PostAsJsonAsync("/api/changes/provenance", new { repository = Repo, number = 6262, agentSessionId = "sess_x" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await ProblemJson.ReadAsync(missing, HttpStatusCode.NotFound);
        var after = await LoadAsync(change.Id);
        Assert.Equal(("sess_62", "riley@acme.test"), (after.AgentSessionId, after.Prompter));
    }

    [Fact]
    [Trait("Category", "DecisionIntegrity")]
    public async Task The_client_that_submitted_a_change_may_attach_to_it_and_another_client_may_not()
    {
        var (_, owner) = await NewClientAsync("owner-agent", grantRepository: false);
        var (_, other) = await NewClientAsync("other-agent", grantRepository: true);
        // Found by its head commit, the way a CI step that knows only the commit attaches.
        var id = await SubmitWithHeadAsync(owner, "acme/unregistered", "head-own-0063");

        var byOther = await other.PostAsJsonAsync("/api/changes/provenance", new { headSha = "head-own-0063", prompter = "mallory@acme.test" });
        var byOwner = await owner.PostAsJsonAsync("/api/changes/provenance", new { headSha = "head-own-0063", prompter = "dana@acme.test" });

        await ProblemJson.ReadAsync(byOther, HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, byOwner.StatusCode);
        Assert.Equal("dana@acme.test", (await LoadAsync(id)).Prompter);
    }

    [Fact]
    [Trait("Category", "DecisionIntegrity")]
    public async Task Naming_the_approver_as_prompter_voids_their_approval_and_the_change_is_pending_again()
    {
        var change = await fixture.OpenPullRequestAsync(64, "head0000064", "Agent-Session: sess_64");
        var approval = await fixture.Factory.Services.GetRequiredService<DecisionService>()
            .DecideAsync(change.Id, await fixture.PrincipalAsync(DemoLogin.Reviewer), await fixture.Factory.Services.HeadOfAsync(change.Id), DecisionKind.Approve, null);
        Assert.True(approval.Succeeded, approval.Message);
        Assert.Equal(ChangeState.Approved, (await LoadAsync(change.Id)).State);
        var (_, granted) = await NewClientAsync("prompter-rewriter", grantRepository: true);
        using var feed = new ChangeFeedRecorder(fixture.Factory.Services.GetRequiredService<ChangeFeed>());

        var response = await granted.PostAsJsonAsync("/api/changes/provenance", new { repository = Repo, number = 64, prompter = DemoLogin.Reviewer });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var after = await LoadAsync(change.Id);
        Assert.Equal((ChangeState.Pending, (string?)null), (after.State, after.DecidedBy));
        var voided = Assert.Single(after.Decisions);
        Assert.NotNull(voided.ResetAt);
        Assert.Contains("now this change's prompter", voided.ResetReason, StringComparison.Ordinal);
        Assert.Contains("prompter-rewriter", voided.ResetReason, StringComparison.Ordinal);
        Assert.Contains(after.Events, e => e.Kind == ChangeEventKind.ApprovalsReset && e.Detail.Contains("pending again", StringComparison.Ordinal));
        // The reviewers' pages hear of it: the decision reset and the state moved in one save.
        await feed.WaitForAsync(change.Id, ChangeActivity.Decided, Eventually.DefaultLimit);
    }

    [Fact]
    [Trait("Category", "DecisionIntegrity")]
    public async Task Naming_the_approver_as_prompter_by_user_name_voids_their_approval_too()
    {
        var change = await fixture.OpenPullRequestAsync(67, "head0000067", "Agent-Session: sess_67");
        await using (var scope = fixture.Factory.Services.CreateAsyncScope())
        {
            // A user name that is not the email: the decision on record keeps only the email.
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            var riley = new PortalUser { UserName = "riley67", Email = "riley67@acme.test", EmailConfirmed = true, DisplayName = "Riley Chen" };
            Assert.True((await users.CreateAsync(riley, DemoLogin.Password)).Succeeded);
            Assert.True((await users.AddToRoleAsync(riley, PortalRoles.Reviewer)).Succeeded);
        }

        var approval = await fixture.Factory.Services.GetRequiredService<DecisionService>()
            .DecideAsync(change.Id, await fixture.PrincipalAsync("riley67@acme.test"), await fixture.Factory.Services.HeadOfAsync(change.Id), DecisionKind.Approve, null);
        Assert.True(approval.Succeeded, approval.Message);
        var (_, granted) = await NewClientAsync("prompter-by-name", grantRepository: true);

        var response = await granted.PostAsJsonAsync("/api/changes/provenance", new { repository = Repo, number = 67, prompter = "RILEY67 " });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var after = await LoadAsync(change.Id);
        Assert.Equal((ChangeState.Pending, (string?)null), (after.State, after.DecidedBy));
        Assert.Contains("Riley Chen is now this change's prompter", Assert.Single(after.Decisions).ResetReason, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "DecisionIntegrity")]
    public async Task Attach_by_head_commit_picks_among_the_changes_the_client_may_touch_and_number_zero_means_by_commit()
    {
        var mine = await fixture.OpenPullRequestAsync(68, "head-shared-68", "Agent-Session: sess_68");
        var (_, granted) = await NewClientAsync("sha-agent", grantRepository: true);
        using var submitter = fixture.Factory.CreateAgentClient();
        var newer = await SubmitWithHeadAsync(submitter, "acme/other-sha", "head-shared-68");

        var bySha = await granted.PostAsJsonAsync("/api/changes/provenance", new { headSha = "head-shared-68", prompter = "dana@acme.test" });
        var numberZero = await granted.PostAsJsonAsync("/api/changes/provenance", new { repository = Repo, number = 0, headSha = "head-shared-68", modelVersion = "m-68" });

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (bySha.StatusCode, numberZero.StatusCode));
        var attached = await LoadAsync(mine.Id);
        Assert.Equal(("dana@acme.test", "m-68"), (attached.Prompter, attached.ModelVersion));
        Assert.Null((await LoadAsync(newer)).Prompter);
    }

    [Fact]
    [Trait("Category", "DecisionIntegrity")]
    public async Task Each_attach_is_on_the_timeline_with_its_client_and_every_field_it_changed_old_to_new()
    {
        var change = await fixture.OpenPullRequestAsync(65, "head0000065", "Agent-Session: sess_65\nPrompter: dana@acme.test");
        var (_, granted) = await NewClientAsync("timeline-agent", grantRepository: true);

        var response = await granted.PostAsJsonAsync("/api/changes/provenance", new { repository = Repo, number = 65, prompter = "riley@acme.test", modelVersion = "gpt-5.1-codex", coveragePercent = 81.5 });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var attached = Assert.Single((await LoadAsync(change.Id)).Events, e => e.Kind == ChangeEventKind.ProvenanceAttached);
        Assert.Equal("By API client timeline-agent: Prompter: dana@acme.test → riley@acme.test; Model: (none) → gpt-5.1-codex; Coverage: (none) → 81.5%.", attached.Detail);
        Assert.Equal("Provenance attached", ChangeEventKind.ProvenanceAttached.Label());
    }

    [Fact]
    public async Task A_rescore_that_changes_nothing_says_so()
    {
        var change = await fixture.OpenPullRequestAsync(66, "head0000066", "Agent-Session: sess_66");
        var (_, granted) = await NewClientAsync("rescore-agent", grantRepository: true);

        var response = await granted.PostAsJsonAsync("/api/changes/provenance", new { repository = Repo, number = 66, agentTool = "codex-cli" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var after = await LoadAsync(change.Id);
        var rescored = Assert.Single(after.Events, e => e.Kind == ChangeEventKind.Rescored);
        Assert.Equal($"Provenance bundle attached: score and tier unchanged ({after.RiskScore}, tier {(int)after.Tier}).", rescored.Detail);
    }
}
