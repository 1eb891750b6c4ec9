using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ReviewPortal.Domain.Changes;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Domain.Risk;
using ReviewPortal.Testing;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Features.Decisions;
using ReviewPortal.Web.Features.Review;

namespace ReviewPortal.Web.Tests.Features.Ingest.Webhooks;

public sealed class GitHubWebhookFlowTests(WebhookFixture fixture) : IClassFixture<WebhookFixture>
{
    private const string Repo = WebhookFixture.GitHubRepository;

    [Fact]
    public async Task Opened_then_synchronize_rescores_raises_the_tier_and_resets_the_earlier_approval_with_the_reason()
    {
        const int number = 7;
        fixture.Scm.PutPullRequest(Repo, number, "base0000001", "head0000001",
        [
            new FakeFile("docs/webhooks.md", "# Webhooks\n", "# Webhooks\n\nRetries back off exponentially.\n"),
        ]);
        using var client = fixture.Factory.CreateClient();

        var opened = await client.SendAsync(WebhookFixture.SignedGitHub(fixture.GitHub, "delivery-open-7",
            Encoding.UTF8.GetBytes(ScmPayloads.GitHubPullRequest("opened", Repo, number, "base0000001", "head0000001", "Document webhook retries", "Agent-Session: sess_77"))));

        Assert.Equal(HttpStatusCode.Accepted, opened.StatusCode);
        var change = await fixture.EventuallyAsync(db => db.Changes.Include(c => c.Revisions).ThenInclude(r => r.Files)
            .FirstOrDefaultAsync(c => c.RepositoryId == fixture.GitHub.Repository.Id && c.ExternalNumber == number));
        Assert.Equal((ChangeOrigin.GitHub, RiskTier.Low, 1), (change.Origin, change.Tier, change.RevisionCount));
        Assert.Equal("head0000001", change.HeadSha);
        Assert.True(change.IsAgentAuthored);
        Assert.Equal("# Webhooks\n\nRetries back off exponentially.\n", Assert.Single(Assert.Single(change.Revisions).Files).NewContent);
        Assert.Contains(fixture.Scm.Requests, r => r.Request.Contains("/contents/docs/webhooks.md?ref=head0000001", StringComparison.Ordinal) && r.Credential == "Bearer ghp_fake_token");

        var approval = await fixture.Factory.Services.GetRequiredService<DecisionService>()
            .DecideAsync(change.Id, await fixture.PrincipalAsync(DemoLogin.Reviewer), await fixture.Factory.Services.HeadOfAsync(change.Id), DecisionKind.Approve, null);
        Assert.True(approval.Succeeded, approval.Message);

        fixture.Scm.PutPullRequest(Repo, number, "base0000001", "head0000002",
        [
            new FakeFile("docs/webhooks.md", "# Webhooks\n", "# Webhooks\n\nRetries back off exponentially.\n"),
            new FakeFile("src/Payments.Api/Auth/WebhookSigner.cs", null, "public static class WebhookSigner { }\n"),
        ]);
        var synchronize = await client.SendAsync(WebhookFixture.SignedGitHub(fixture.GitHub, "delivery-sync-7",
            Encoding.UTF8.GetBytes(ScmPayloads.GitHubPullRequest("synchronize", Repo, number, "base0000001", "head0000002", "Document webhook retries"))));

        Assert.Equal(HttpStatusCode.Accepted, synchronize.StatusCode);
        var rescored = await fixture.EventuallyAsync(db => db.Changes.Include(c => c.Decisions).Include(c => c.Events)
            .FirstOrDefaultAsync(c => c.Id == change.Id && c.RevisionCount == 2));
        Assert.Equal((RiskTier.High, "head0000002"), (rescored.Tier, rescored.HeadSha));
        Assert.Equal(ChangeState.Pending, rescored.State);
        var reset = Assert.Single(rescored.Decisions);
        Assert.NotNull(reset.ResetAt);
        Assert.Equal(1, reset.RevisionNumber);
        Assert.Contains("Tier rose from 1 to 3 at revision 2", reset.ResetReason, StringComparison.Ordinal);
        Assert.Contains("security-paths", reset.ResetReason, StringComparison.Ordinal);
        Assert.Contains(rescored.Events, e => e.Kind == ChangeEventKind.TierRaised && e.RevisionNumber == 2);

        // "What changed since I last looked": revision 1 -> 2 is only the new auth file.
        var reviews = fixture.Factory.Services.GetRequiredService<ReviewQuery>();
        var interdiff = await reviews.LoadAsync(change.Id, revisionNumber: 2, sinceRevision: 1);
        Assert.Equal(1, interdiff!.SinceRevision);
        Assert.Equal("src/Payments.Api/Auth/WebhookSigner.cs", Assert.Single(interdiff.Files).Path);
        var first = await reviews.LoadAsync(change.Id, revisionNumber: 1);
        Assert.Equal(("head0000001", RiskTier.Low), (first!.Revision.HeadSha, first.Revision.Tier));
        Assert.Equal("docs/webhooks.md", Assert.Single(first.Files).Path);

        // And the page itself, as a signed-in reviewer's browser first receives it (prerendered).
        using var browser = fixture.Factory.CreateClient();
        await FormSignIn.SignInAsync(browser, DemoLogin.Reviewer);
        var html = await browser.GetStringAsync($"/changes/{change.Id}?revision=2&since=1");
        Assert.Contains("Showing what changed from revision 1 to revision 2", html, StringComparison.Ordinal);
        Assert.Contains("src/Payments.Api/Auth/WebhookSigner.cs", html, StringComparison.Ordinal);
        Assert.DoesNotContain("docs/webhooks.md", html, StringComparison.Ordinal);
        Assert.Contains("Approved</strong>", html, StringComparison.Ordinal);
        Assert.Contains("No longer counts: Tier rose from 1 to 3", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_redelivery_is_acknowledged_but_creates_nothing_new()
    {
        const int number = 8;
        fixture.Scm.PutPullRequest(Repo, number, "base0000008", "head0000008", [new FakeFile("README.md", "a\n", "b\n")]);
        using var client = fixture.Factory.CreateClient();
        var body = Encoding.UTF8.GetBytes(ScmPayloads.GitHubPullRequest("opened", Repo, number, "base0000008", "head0000008"));

        var first = await client.SendAsync(WebhookFixture.SignedGitHub(fixture.GitHub, "delivery-dup-8", body));
        var change = await fixture.EventuallyAsync(db => db.Changes.FirstOrDefaultAsync(c => c.RepositoryId == fixture.GitHub.Repository.Id && c.ExternalNumber == number));
        var deliveries = await fixture.CountDeliveriesAsync(fixture.GitHub.Repository.Id);
        var again = await client.SendAsync(WebhookFixture.SignedGitHub(fixture.GitHub, "delivery-dup-8", body));

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        Assert.True((await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("duplicate").GetBoolean());
        Assert.Equal(deliveries, await fixture.CountDeliveriesAsync(fixture.GitHub.Repository.Id));
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        Assert.Equal(1, await db.Changes.CountAsync(c => c.RepositoryId == fixture.GitHub.Repository.Id && c.ExternalNumber == number));
        Assert.Equal(1, await db.Revisions.CountAsync(r => r.ChangeId == change.Id));
    }

    [Fact]
    public async Task A_rate_limited_fetch_leaves_the_delivery_pending_until_the_reset_time()
    {
        const int number = 40;
        fixture.Scm.PutPullRequest(Repo, number, "base0000040", "head0000040", [new FakeFile("README.md", "a\n", "b\n")]);
        var reset = DateTimeOffset.UtcNow.AddMinutes(10);
        fixture.Scm.FailNext(1, HttpStatusCode.Forbidden, rateLimitReset: reset.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var client = fixture.Factory.CreateClient();

        await client.SendAsync(WebhookFixture.SignedGitHub(fixture.GitHub, "delivery-limited-40",
            Encoding.UTF8.GetBytes(ScmPayloads.GitHubPullRequest("opened", Repo, number, "base0000040", "head0000040"))));

        var delivery = await fixture.EventuallyAsync(db => db.WebhookDeliveries.FirstOrDefaultAsync(d => d.DeliveryId == "delivery-limited-40" && d.LastError != null));
        Assert.Equal(DeliveryStatus.Pending, delivery.Status);
        Assert.InRange(delivery.NextAttemptAt, reset.AddSeconds(-5), reset.AddSeconds(5));
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        Assert.False(await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Changes.AnyAsync(c => c.RepositoryId == fixture.GitHub.Repository.Id && c.ExternalNumber == number));
    }

    [Fact]
    public async Task Edited_labeled_and_closed_update_the_change_without_a_new_revision()
    {
        const int number = 41;
        fixture.Scm.PutPullRequest(Repo, number, "base0000041", "head0000041", [new FakeFile("src/Orders/Order.cs", "a\n", "b\n")]);
        using var client = fixture.Factory.CreateClient();
        Task<HttpResponseMessage> SendAsync(string action, string deliveryId, string title, string? body = null, IReadOnlyList<string>? labels = null, bool merged = false) =>
            client.SendAsync(WebhookFixture.SignedGitHub(fixture.GitHub, deliveryId, Encoding.UTF8.GetBytes(
                ScmPayloads.GitHubPullRequest(action, Repo, number, "base0000041", "head0000041", title, body, author: "bob", labels: labels, merged: merged))));

        await SendAsync("opened", "d41-open", "Refactor orders");
        var opened = await fixture.EventuallyAsync(db => db.Changes.FirstOrDefaultAsync(c => c.RepositoryId == fixture.GitHub.Repository.Id && c.ExternalNumber == number));
        Assert.False(opened.IsAgentAuthored);

        await SendAsync("edited", "d41-edit", "Refactor orders (agent)", "Agent-Session: sess_41\nModel: claude-sonnet-4.5");
        var edited = await fixture.EventuallyAsync(db => db.Changes.FirstOrDefaultAsync(c => c.Id == opened.Id && c.AgentSessionId == "sess_41"));
        Assert.Equal(("Refactor orders (agent)", "claude-sonnet-4.5"), (edited.Title, edited.ModelVersion));
        Assert.True(edited.IsAgentAuthored);

        await SendAsync("closed", "d41-close", "Refactor orders (agent)", "Agent-Session: sess_41", merged: true);
        var closed = await fixture.EventuallyAsync(db => db.Changes.FirstOrDefaultAsync(c => c.Id == opened.Id && c.ScmState == "merged"));
        Assert.Equal(1, closed.RevisionCount);
    }

    [Fact]
    public async Task A_configured_label_marks_a_human_accounts_change_as_agent_authored()
    {
        const int number = 42;
        fixture.Scm.PutPullRequest(Repo, number, "base0000042", "head0000042", [new FakeFile("docs/a.md", "a\n", "b\n")]);
        await using (var scope = fixture.Factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            var repository = await db.Repositories.SingleAsync(r => r.Id == fixture.GitHub.Repository.Id);
            repository.AgentLabels = ["ai-generated"];
            await db.SaveChangesAsync();
        }

        using var client = fixture.Factory.CreateClient();
        await client.SendAsync(WebhookFixture.SignedGitHub(fixture.GitHub, "d42-labeled", Encoding.UTF8.GetBytes(
            ScmPayloads.GitHubPullRequest("labeled", Repo, number, "base0000042", "head0000042", author: "carol", labels: ["ai-generated"]))));

        var change = await fixture.EventuallyAsync(db => db.Changes.FirstOrDefaultAsync(c => c.RepositoryId == fixture.GitHub.Repository.Id && c.ExternalNumber == number));
        Assert.True(change.IsAgentAuthored);
        Assert.Contains("ai-generated", change.AuthorshipReason, StringComparison.Ordinal);
        Assert.True(change.IsUntraced);
    }

    [Fact]
    public async Task A_human_pull_request_is_ingested_as_the_baseline()
    {
        const int number = 9;
        fixture.Scm.PutPullRequest(Repo, number, "base0000009", "head0000009", [new FakeFile("src/Orders/Order.cs", "class Order {}\n", "sealed class Order {}\n")]);
        using var client = fixture.Factory.CreateClient();

        await client.SendAsync(WebhookFixture.SignedGitHub(fixture.GitHub, "delivery-human-9",
            Encoding.UTF8.GetBytes(ScmPayloads.GitHubPullRequest("opened", Repo, number, "base0000009", "head0000009", author: "alice"))));

        var change = await fixture.EventuallyAsync(db => db.Changes.FirstOrDefaultAsync(c => c.RepositoryId == fixture.GitHub.Repository.Id && c.ExternalNumber == number));
        Assert.False(change.IsAgentAuthored);
        Assert.Equal("alice", change.Author);
    }

    [Fact]
    public async Task A_ping_is_acknowledged_and_not_stored()
    {
        using var client = fixture.Factory.CreateClient();
        var before = await fixture.CountDeliveriesAsync(fixture.GitHub.Repository.Id);

        var response = await client.SendAsync(WebhookFixture.SignedGitHub(fixture.GitHub, "delivery-ping", Encoding.UTF8.GetBytes("{\"zen\":\"Keep it logically awesome.\",\"hook_id\":1}"), eventType: "ping"));

        Assert.True(response.IsSuccessStatusCode);
        Assert.Equal(before, await fixture.CountDeliveriesAsync(fixture.GitHub.Repository.Id));
    }

    [Fact]
    public async Task GitLab_merge_request_open_creates_a_change_and_redeliveries_dedupe_on_idempotency_key_then_event_uuid()
    {
        const int iid = 21;
        fixture.Scm.PutPullRequest(WebhookFixture.GitLabProject, iid, "glbase0021", "glhead0021",
            [new FakeFile("db/migrations/20261122_invoices.sql", null, "CREATE TABLE invoice_notes (id bigint);\n")]);
        using var client = fixture.Factory.CreateClient();
        var body = ScmPayloads.GitLabMergeRequest("open", WebhookFixture.GitLabProject, iid, "glhead0021");
        var secret = fixture.GitLab.WebhookSecret;

        var first = await client.SendAsync(WebhookFixture.GitLabHook(fixture.GitLab, body, secret, idempotencyKey: "idem-21", eventUuid: "uuid-a"));
        var change = await fixture.EventuallyAsync(db => db.Changes.Include(c => c.Revisions).ThenInclude(r => r.Files)
            .FirstOrDefaultAsync(c => c.RepositoryId == fixture.GitLab.Repository.Id && c.ExternalNumber == iid));
        var deliveries = await fixture.CountDeliveriesAsync(fixture.GitLab.Repository.Id);
        var sameKey = await client.SendAsync(WebhookFixture.GitLabHook(fixture.GitLab, body, secret, idempotencyKey: "idem-21", eventUuid: "uuid-b"));
        var uuidOnly = await client.SendAsync(WebhookFixture.GitLabHook(fixture.GitLab, body, secret, idempotencyKey: null, eventUuid: "uuid-c"));
        var uuidAgain = await client.SendAsync(WebhookFixture.GitLabHook(fixture.GitLab, body, secret, idempotencyKey: null, eventUuid: "uuid-c"));

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal((ChangeOrigin.GitLab, RiskTier.Medium), (change.Origin, change.Tier));
        Assert.Equal("CREATE TABLE invoice_notes (id bigint);\n", Assert.Single(Assert.Single(change.Revisions).Files).NewContent);
        Assert.Contains(fixture.Scm.Requests, r => r.Request.Contains("/merge_requests/21/changes", StringComparison.Ordinal) && r.Credential == "glpat-fake-token");
        Assert.All(new[] { sameKey, uuidOnly, uuidAgain }, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        Assert.Equal(deliveries + 1, await fixture.CountDeliveriesAsync(fixture.GitLab.Repository.Id));
    }
}

public sealed class ProvenanceIngestTests(WebhookFixture fixture) : IClassFixture<WebhookFixture>
{
    private const string Repo = WebhookFixture.GitHubRepository;

    private Task<Change> OpenAsync(int number, string head, string? body, string author = "payments-agent[bot]") => fixture.OpenPullRequestAsync(number, head, body, author);

    [Fact]
    public async Task Trailers_in_the_description_carry_provenance_and_make_a_human_account_change_agent_authored()
    {
        var change = await OpenAsync(31, "head0000031", "Fixes the rounding.\n\nAgent-Session: sess_trailer\nModel: gpt-5.1-codex\nPrompter: dana@acme.test\nAgent-Tool: codex-cli", author: "alice");

        Assert.Equal(("sess_trailer", "gpt-5.1-codex", "dana@acme.test", "codex-cli"), (change.AgentSessionId, change.ModelVersion, change.Prompter, change.AgentTool));
        Assert.True(change.IsAgentAuthored);
        Assert.Contains("trailers", change.AuthorshipReason, StringComparison.Ordinal);
        Assert.False(change.IsUntraced);
    }

    [Fact]
    public async Task An_agent_account_change_without_a_session_is_untraced()
    {
        var change = await OpenAsync(32, "head0000032", "No trailers here.");

        Assert.True(change.IsAgentAuthored);
        Assert.True(change.IsUntraced);
    }

    [Fact]
    [Trait("Category", "DecisionIntegrity")]
    public async Task A_description_edited_to_name_the_approver_as_prompter_voids_the_approval_and_reopens_the_change()
    {
        var change = await OpenAsync(35, "head0000035", "Agent-Session: sess_35");
        var approved = await fixture.Factory.Services.GetRequiredService<DecisionService>().DecideAsync(change.Id, await fixture.PrincipalAsync(DemoLogin.Reviewer), await fixture.Factory.Services.HeadOfAsync(change.Id), DecisionKind.Approve, null);
        Assert.True(approved.Succeeded, approved.Message);
        using var client = fixture.Factory.CreateClient();

        var edited = await client.SendAsync(WebhookFixture.SignedGitHub(fixture.GitHub, "delivery-prov-35-edited",
            Encoding.UTF8.GetBytes(ScmPayloads.GitHubPullRequest("edited", Repo, 35, "base0000035", "head0000035", body: $"Agent-Session: sess_35\nPrompter: {DemoLogin.Reviewer}"))));

        Assert.Equal(HttpStatusCode.Accepted, edited.StatusCode);
        var reopened = await fixture.EventuallyAsync(db => db.Changes.Include(c => c.Decisions).Include(c => c.Events)
            .FirstOrDefaultAsync(c => c.Id == change.Id && c.State == ChangeState.Pending));
        Assert.Equal(DemoLogin.Reviewer, reopened.Prompter);
        Assert.Contains("now this change's prompter", Assert.Single(reopened.Decisions).ResetReason, StringComparison.Ordinal);
        Assert.Contains(reopened.Events, e => e.Kind == ChangeEventKind.ApprovalsReset && e.Detail.Contains($"#{35}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_bundle_attached_by_number_rescores_raises_the_tier_and_resets_the_approval()
    {
        var change = await OpenAsync(33, "head0000033", "Agent-Session: sess_33");
        Assert.Equal(RiskTier.Low, change.Tier);
        await fixture.GrantConfiguredClientAsync();
        var approved = await fixture.Factory.Services.GetRequiredService<DecisionService>().DecideAsync(change.Id, await fixture.PrincipalAsync(DemoLogin.Reviewer), await fixture.Factory.Services.HeadOfAsync(change.Id), DecisionKind.Approve, null);
        Assert.True(approved.Succeeded, approved.Message);
        using var client = fixture.Factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", PortalFactory.ApiKey);

        var response = await client.PostAsJsonAsync("/api/changes/provenance", new
        {
            repository = Repo, number = 33, prompt = "Tidy the order service.", coveragePercent = 55.0,
            securityFindings = new[] { new { severity = "medium", title = "Unvalidated redirect" } },
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        var updated = await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Changes.Include(c => c.Decisions).Include(c => c.Events).SingleAsync(c => c.Id == change.Id);
        Assert.Equal((25 + 35, RiskTier.High), (updated.RiskScore, updated.Tier));
        Assert.Equal("Tidy the order service.", updated.Prompt);
        Assert.Equal(ChangeState.Pending, updated.State);
        Assert.NotNull(Assert.Single(updated.Decisions).ResetAt);
        Assert.Contains(updated.Events, e => e.Kind == ChangeEventKind.Rescored);
    }

    [Fact]
    public async Task A_bundle_can_be_attached_by_head_commit_and_an_unknown_change_gets_403_like_one_the_client_may_not_touch()
    {
        var change = await OpenAsync(34, "head0000034", null);
        await fixture.GrantConfiguredClientAsync();
        using var client = fixture.Factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", PortalFactory.ApiKey);

        var byHead = await client.PostAsJsonAsync("/api/changes/provenance", new { headSha = "head0000034", agentSessionId = "sess_by_head", modelVersion = "gemini-3-pro" });
        var unknown = await client.PostAsJsonAsync("/api/changes/provenance", new { headSha = "no-such-commit", agentSessionId = "x" });
        var unnamed = await client.PostAsJsonAsync("/api/changes/provenance", new { agentSessionId = "x" });

        Assert.Equal(HttpStatusCode.OK, byHead.StatusCode);
        // A head commit names no repository, so nothing says the client may learn that no change has it.
        Assert.Equal(HttpStatusCode.Forbidden, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unnamed.StatusCode);
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        var updated = await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Changes.SingleAsync(c => c.Id == change.Id);
        Assert.Equal(("sess_by_head", "gemini-3-pro"), (updated.AgentSessionId, updated.ModelVersion));
    }
}
