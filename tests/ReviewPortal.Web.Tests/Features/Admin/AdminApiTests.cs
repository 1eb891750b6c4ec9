using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ReviewPortal.Domain.Risk;
using ReviewPortal.Testing;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Features.Admin;

namespace ReviewPortal.Web.Tests.Features.Admin;

public sealed class AdminApiTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private static readonly object AuthChange = new
    {
        title = "Harden login", repository = "acme/identity", author = "identity-agent[bot]", agentSessionId = "sess_admin",
        files = new[] { new { path = "src/Identity/Auth/Login.cs", oldContent = "a\n", newContent = "b\n" } },
    };

    private async Task<HttpClient> SignedInAsync(string email)
    {
        var client = fixture.Factory.CreateClient();
        await FormSignIn.SignInAsync(client, email);
        return client;
    }

    [Fact]
    public async Task The_admin_api_answers_401_to_anonymous_callers_and_403_to_non_admins()
    {
        using var anonymous = fixture.Factory.CreateClient(new() { AllowAutoRedirect = false });
        using var reviewer = await SignedInAsync(DemoLogin.Reviewer);

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/admin/repositories")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reviewer.GetAsync("/api/admin/repositories")).StatusCode);
    }

    [Fact]
    public async Task An_admin_registers_a_repository_and_gets_its_webhook_secret_once()
    {
        using var admin = await SignedInAsync(DemoLogin.Admin);

        var response = await admin.PostAsJsonAsync("/api/admin/repositories", new { provider = "github", name = "acme/registered-by-api", apiBaseUrl = "https://github.example.com/api/v3", accessToken = "ghp_secret", agentAccounts = new[] { "*[bot]" } });
        var invalid = await admin.PostAsJsonAsync("/api/admin/repositories", new { provider = "svn", name = "", apiBaseUrl = "ftp://x" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(64, created.GetProperty("webhookSecret").GetString()!.Length);
        Assert.StartsWith("/webhooks/github/", created.GetProperty("repository").GetProperty("webhookPath").GetString(), StringComparison.Ordinal);
        var listed = await admin.GetStringAsync("/api/admin/repositories");
        Assert.Contains("acme/registered-by-api", listed, StringComparison.Ordinal);
        Assert.DoesNotContain(created.GetProperty("webhookSecret").GetString()!, listed, StringComparison.Ordinal);
        Assert.DoesNotContain("ghp_secret", listed, StringComparison.Ordinal);
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Repositories.SingleAsync(r => r.Name == "acme/registered-by-api");
        Assert.DoesNotContain("ghp_secret", stored.ProtectedAccessToken, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var errors = (await invalid.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("provider", out _) && errors.TryGetProperty("name", out _) && errors.TryGetProperty("apiBaseUrl", out _));
    }

    [Fact]
    public async Task A_taken_name_is_a_conflict_at_the_name_and_a_too_long_field_is_refused_by_its_column_length()
    {
        using var admin = await SignedInAsync(DemoLogin.Admin);
        var name = $"acme/twice-{Guid.NewGuid():N}";

        var first = await admin.PostAsJsonAsync("/api/admin/repositories", new { provider = "github", name });
        var again = await admin.PostAsJsonAsync("/api/admin/repositories", new { provider = "github", name });
        var tooLong = await admin.PostAsJsonAsync("/api/admin/repositories", new { provider = "gitlab", name = "acme/long", projectId = new string('9', 301), localPath = new string('p', 1001) });
        var client = await admin.PostAsJsonAsync("/api/admin/api-clients", new { name = $"twice-{name[^8..]}" });
        var clientAgain = await admin.PostAsJsonAsync("/api/admin/api-clients", new { name = $"twice-{name[^8..]}" });
        var clientTooLong = await admin.PostAsJsonAsync("/api/admin/api-clients", new { name = new string('c', 201) });

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var duplicate = (await ProblemJson.ReadAsync(again, HttpStatusCode.Conflict)).GetProperty("errors");
        Assert.Equal($"A GitHub repository named '{name}' is already registered.", duplicate.GetProperty("name")[0].GetString());
        var lengths = (await ProblemJson.ReadAsync(tooLong, HttpStatusCode.BadRequest)).GetProperty("errors");
        Assert.Equal("Project id must be at most 300 characters (it has 301).", lengths.GetProperty("projectId")[0].GetString());
        Assert.Equal("Local path must be at most 1000 characters (it has 1001).", lengths.GetProperty("localPath")[0].GetString());
        Assert.False(lengths.TryGetProperty("name", out _));
        Assert.Equal(HttpStatusCode.Created, client.StatusCode);
        Assert.Contains("already exists", (await ProblemJson.ReadAsync(clientAgain, HttpStatusCode.Conflict)).GetProperty("errors").GetProperty("name")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal("Name must be at most 200 characters (it has 201).",
            (await ProblemJson.ReadAsync(clientTooLong, HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("name")[0].GetString());
    }

    [Fact]
    public async Task A_per_client_key_submits_under_the_clients_name_and_stops_working_once_revoked()
    {
        using var admin = await SignedInAsync(DemoLogin.Admin);
        var created = await (await admin.PostAsJsonAsync("/api/admin/api-clients", new { name = "payments-agent" })).Content.ReadFromJsonAsync<JsonElement>();
        var key = created.GetProperty("key").GetString()!;
        using var agent = fixture.Factory.CreateClient();
        agent.DefaultRequestHeaders.Add("X-Api-Key", key);

        var submitted = await agent.PostAsJsonAsync("/api/changes", AuthChange);
        var revoke = await admin.DeleteAsync($"/api/admin/api-clients/{created.GetProperty("id").GetInt64()}");
        var afterRevoke = await agent.PostAsJsonAsync("/api/changes", AuthChange);

        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        var id = (await submitted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        Assert.Equal("payments-agent", (await db.Changes.SingleAsync(c => c.Id == id)).SubmittedBy);
        var stored = await db.ApiClients.SingleAsync(c => c.Name == "payments-agent");
        Assert.DoesNotContain(key, stored.KeyHash, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, afterRevoke.StatusCode);
    }

    [Fact]
    [Trait("Category", "DecisionIntegrity")]
    public async Task An_admin_grants_a_client_a_repository_lists_it_refuses_bad_grants_by_field_and_removes_it()
    {
        using var admin = await SignedInAsync(DemoLogin.Admin);
        var clientId = (await (await admin.PostAsJsonAsync("/api/admin/api-clients", new { name = "grant-api-agent" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var repository = (await (await admin.PostAsJsonAsync("/api/admin/repositories", new { provider = "github", name = "acme/granted-by-api" })).Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("repository").GetProperty("id").GetInt64();

        var granted = await admin.PostAsJsonAsync($"/api/admin/api-clients/{clientId}/repositories", new { repositoryId = repository });
        var again = await admin.PostAsJsonAsync($"/api/admin/api-clients/{clientId}/repositories", new { repositoryId = repository });
        var unknownRepository = await admin.PostAsJsonAsync($"/api/admin/api-clients/{clientId}/repositories", new { repositoryId = 987654 });
        var noRepository = await admin.PostAsJsonAsync($"/api/admin/api-clients/{clientId}/repositories", new { });
        var unknownClient = await admin.PostAsJsonAsync("/api/admin/api-clients/987654/repositories", new { repositoryId = repository });
        var listed = await (await admin.GetAsync($"/api/admin/api-clients/{clientId}/repositories")).Content.ReadFromJsonAsync<JsonElement>();
        var removed = await admin.DeleteAsync($"/api/admin/api-clients/{clientId}/repositories/{repository}");
        var removedAgain = await admin.DeleteAsync($"/api/admin/api-clients/{clientId}/repositories/{repository}");
        var afterRemoval = await (await admin.GetAsync($"/api/admin/api-clients/{clientId}/repositories")).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.Created, granted.StatusCode);
        Assert.Equal($"API client {clientId} is already granted repository {repository}.", (await ProblemJson.ReadAsync(again, HttpStatusCode.Conflict)).GetProperty("title").GetString());
        var unknownRepositoryErrors = (await ProblemJson.ReadAsync(unknownRepository, HttpStatusCode.BadRequest)).GetProperty("errors");
        Assert.Equal("There is no registered repository 987654.", unknownRepositoryErrors.GetProperty("repositoryId")[0].GetString());
        Assert.True((await ProblemJson.ReadAsync(noRepository, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("repositoryId", out _));
        Assert.Equal("There is no API client 987654.", (await ProblemJson.ReadAsync(unknownClient, HttpStatusCode.NotFound)).GetProperty("title").GetString());
        var grant = Assert.Single(listed.EnumerateArray());
        Assert.Equal(("acme/granted-by-api", DemoLogin.Admin), (grant.GetProperty("repository").GetString(), grant.GetProperty("grantedBy").GetString()));
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        await ProblemJson.ReadAsync(removedAgain, HttpStatusCode.NotFound);
        Assert.Equal(0, afterRemoval.GetArrayLength());
    }

    [Fact]
    public async Task A_key_that_authenticates_through_the_api_records_when_it_was_last_used()
    {
        var registry = fixture.Factory.Services.GetRequiredService<ApiClientRegistry>();
        var created = await registry.CreateAsync("last-used-agent", "test admin");
        using var agent = fixture.Factory.CreateClient();
        agent.DefaultRequestHeaders.Add("X-Api-Key", created.Key);

        Assert.Equal(HttpStatusCode.Created, (await agent.PostAsJsonAsync("/api/changes", AuthChange)).StatusCode);

        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        var lastUsed = (await scope.ServiceProvider.GetRequiredService<PortalDbContext>().ApiClients.AsNoTracking().SingleAsync(c => c.Id == created.Client.Id)).LastUsedAt;
        Assert.NotNull(lastUsed);
        Assert.InRange(lastUsed.Value, created.Client.CreatedAt, DateTimeOffset.UtcNow.AddSeconds(1));
    }

    [Fact]
    public async Task An_invalid_rule_set_is_refused_with_its_errors_and_a_valid_one_scores_new_changes()
    {
        using var admin = await SignedInAsync(DemoLogin.Admin);
        var rules = fixture.Factory.Services.GetRequiredService<RiskRuleProvider>();
        var before = rules.Current.Version;

        var invalid = await admin.PutAsJsonAsync("/api/admin/risk-rules", new { yaml = "rules:\n  - id: broken\n    weight: lots\n" });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.NotEmpty((await invalid.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("yaml").EnumerateArray());
        Assert.Equal(before, rules.Current.Version);

        var heavier = RiskRuleSet.DefaultYaml.Replace("weight: 40", "weight: 75", StringComparison.Ordinal);
        Assert.NotEqual(RiskRuleSet.DefaultYaml, heavier);
        var valid = await admin.PutAsJsonAsync("/api/admin/risk-rules", new { yaml = heavier });
        Assert.Equal(HttpStatusCode.OK, valid.StatusCode);
        Assert.NotEqual(before, rules.Current.Version);

        using var agent = fixture.Factory.CreateClient();
        agent.DefaultRequestHeaders.Add("X-Api-Key", PortalFactory.ApiKey);
        var scored = await (await agent.PostAsJsonAsync("/api/changes", AuthChange)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(75, scored.GetProperty("riskScore").GetInt32());
        Assert.Equal(4, scored.GetProperty("tier").GetInt32());
        Assert.Equal(rules.Current.Version, scored.GetProperty("ruleSetVersion").GetString());

        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync("/api/admin/risk-rules", new { yaml = RiskRuleSet.DefaultYaml })).StatusCode);
        Assert.Equal(RiskRuleSet.Default.Version, rules.Current.Version);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_agents_api()
    {
        using var client = fixture.Factory.CreateClient();

        var document = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var paths = document.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/changes", out var submit));
        Assert.True(submit.GetProperty("post").GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));
        Assert.True(paths.TryGetProperty("/api/changes/provenance", out _));
        Assert.True(paths.TryGetProperty("/webhooks/github/{id}", out _));
    }
}
