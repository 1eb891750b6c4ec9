using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ReviewPortal.Domain.ApiClients;
using ReviewPortal.Testing;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Features.Admin;
using ReviewPortal.Web.Features.Ingest;

namespace ReviewPortal.Web.Tests.Features.Ingest;

public sealed class ApiScopeFixture : IAsyncLifetime
{
    public PortalFactory Factory { get; private set; } = default!;

    public async Task InitializeAsync() => Factory = await PortalFactory.CreateAsync("api-scopes");

    public async Task DisposeAsync() => await Factory.DisposeAsync();

    public async Task<(ApiClient Client, HttpClient Http)> NewClientAsync(ApiScope scopes, params string[] grantedRepositories)
    {
        var registry = Factory.Services.GetRequiredService<ApiClientRegistry>();
        var created = await registry.CreateAsync($"scoped-{Guid.NewGuid():N}", "test admin", scopes);
        foreach (var name in grantedRepositories)
        {
            var repository = (await Factory.Services.GetRequiredService<RepositoryRegistry>().RegisterAsync(new RegisterRepositoryRequest(
                ScmProvider.GitHub, name, null, null, "ghp_scopes", null, AgentAccounts: ["*[bot]"]))).Repository;
            Assert.Equal(GrantOutcome.Granted, await registry.GrantAsync(created.Client.Id, repository.Id, "test admin"));
        }

        var http = Factory.CreateClient();
        http.DefaultRequestHeaders.Add(ApiKeyEndpointFilter.HeaderName, created.Key);
        return (created.Client, http);
    }
}

/// <summary>What a key's scopes and repository grants let it do, and what they refuse, and how.</summary>
public sealed class ApiScopeTests(ApiScopeFixture fixture) : IClassFixture<ApiScopeFixture>
{
    private static object Submission(string repository) => new
    {
        title = "Round totals", repository, author = "orders-agent[bot]",
        files = new[] { new { path = "src/Orders/Totals.cs", oldContent = "a\n", newContent = "b\n" } },
    };

    [Fact]
    public async Task A_key_without_the_endpoints_scope_gets_403_problem_naming_the_missing_scope()
    {
        var (_, reader) = await fixture.NewClientAsync(ApiScope.ReadChanges);

        using var submitted = await reader.PostAsJsonAsync("/api/changes", Submission("acme/scopes"));

        var problem = await ProblemJson.ReadAsync(submitted, HttpStatusCode.Forbidden);
        Assert.Equal(nameof(ApiScope.SubmitChanges), problem.GetProperty("missingScope").GetString());
        Assert.Contains(nameof(ApiScope.SubmitChanges), problem.GetProperty("title").GetString(), StringComparison.Ordinal);
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        Assert.False(await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Changes.AnyAsync(c => c.Repository == "acme/scopes"));
    }

    [Fact]
    public async Task A_key_holding_the_scope_is_let_through_and_a_change_of_scopes_applies_to_the_next_call()
    {
        var (client, agent) = await fixture.NewClientAsync(ApiScope.SubmitChanges);
        var id = await agent.SubmitChangeAsync(Submission("acme/scoped-read"));
        using var before = await agent.GetAsync($"/api/changes/{id}");
        Assert.Equal(nameof(ApiScope.ReadChanges), (await ProblemJson.ReadAsync(before, HttpStatusCode.Forbidden)).GetProperty("missingScope").GetString());

        Assert.False((await fixture.Factory.Services.GetRequiredService<ApiClientRegistry>().SetScopesAsync(client.Id, ApiScope.SubmitChanges | ApiScope.ReadChanges, "test admin"))!.Any);
        using var after = await agent.GetAsync($"/api/changes/{id}");

        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal(id, (await after.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task A_key_with_grants_submits_reads_and_lists_only_its_repositories_and_another_repositorys_change_looks_missing()
    {
        var granted = $"acme/granted-{Guid.NewGuid():N}"[..30];
        var (_, limited) = await fixture.NewClientAsync(ApiScope.SubmitChanges | ApiScope.ReadChanges, granted);
        var (_, unlimited) = await fixture.NewClientAsync(ApiScope.SubmitChanges);
        var elsewhere = await unlimited.SubmitChangeAsync(Submission("acme/not-granted"));

        var own = await limited.SubmitChangeAsync(Submission(granted));
        using var refused = await limited.PostAsJsonAsync("/api/changes", Submission("acme/not-granted"));
        using var hidden = await limited.GetAsync($"/api/changes/{elsewhere}");
        using var missing = await limited.GetAsync("/api/changes/987654321");
        using var list = await limited.GetAsync("/api/changes?view=all&pageSize=100");

        Assert.True((await ProblemJson.ReadAsync(refused, HttpStatusCode.Forbidden)).GetProperty("errors").TryGetProperty("repository", out _));
        await ProblemJson.ReadAsync(hidden, HttpStatusCode.NotFound);
        await ProblemJson.ReadAsync(missing, HttpStatusCode.NotFound);
        Assert.Equal(await missing.Content.ReadAsStringAsync(), await hidden.Content.ReadAsStringAsync());
        var listed = (await list.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("repository").GetString()).ToList();
        Assert.Contains(granted, listed);
        Assert.All(listed, repository => Assert.Equal(granted, repository));
        Assert.NotEqual(0, own);
    }

    [Fact]
    public async Task A_webhook_takes_no_api_key_even_one_holding_every_scope()
    {
        var name = $"acme/hook-{Guid.NewGuid():N}"[..26];
        var repository = (await fixture.Factory.Services.GetRequiredService<RepositoryRegistry>().RegisterAsync(new RegisterRepositoryRequest(
            ScmProvider.GitHub, name, null, null, "ghp_hook", null, AgentAccounts: ["*[bot]"]))).Repository;
        var (_, everything) = await fixture.NewClientAsync(ApiScopes.All);
        using var body = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
        body.Headers.Add("X-GitHub-Event", "ping");

        using var response = await everything.PostAsync($"/webhooks/github/{repository.Id}", body);

        await ProblemJson.ReadAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_admin_api_creates_a_client_with_the_scopes_it_names_changes_them_and_names_the_field_of_an_unknown_scope()
    {
        var (_, admin) = await fixture.NewClientAsync(ApiScope.Administer);

        using var created = await admin.PostAsJsonAsync("/api/admin/api-clients", new { name = $"ci-{Guid.NewGuid():N}", scopes = new[] { "ReadChanges", "triggerpolls" } });
        using var unknown = await admin.PostAsJsonAsync("/api/admin/api-clients", new { name = $"ci-{Guid.NewGuid():N}", scopes = new[] { "ReadChanges", "Everything" } });
        using var numeric = await admin.PostAsJsonAsync("/api/admin/api-clients", new { name = $"ci-{Guid.NewGuid():N}", scopes = new[] { "4" } });
        using var empty = await admin.PostAsJsonAsync("/api/admin/api-clients", new { name = $"ci-{Guid.NewGuid():N}", scopes = Array.Empty<string>() });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["ReadChanges", "TriggerPolls"], body.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.Contains("Everything", (await ProblemJson.ReadAsync(unknown, HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("scopes")[0].GetString(), StringComparison.Ordinal);
        Assert.True((await ProblemJson.ReadAsync(numeric, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("scopes", out _));
        Assert.True((await ProblemJson.ReadAsync(empty, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("scopes", out _));

        var id = body.GetProperty("id").GetInt64();
        using var changed = await admin.PutAsJsonAsync($"/api/admin/api-clients/{id}/scopes", new { scopes = new[] { "SubmitChanges" } });
        using var noSuchClient = await admin.PutAsJsonAsync("/api/admin/api-clients/987654321/scopes", new { scopes = new[] { "SubmitChanges" } });
        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        await ProblemJson.ReadAsync(noSuchClient, HttpStatusCode.NotFound);
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<PortalDbContext>().ApiClients.SingleAsync(c => c.Id == id);
        Assert.Equal(ApiScope.SubmitChanges, stored.Scopes);
        Assert.StartsWith("API client scoped-", stored.CreatedBy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_bootstrap_key_holds_submit_attach_and_read_and_its_scopes_follow_configuration()
    {
        var registry = fixture.Factory.Services.GetRequiredService<ApiClientRegistry>();
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var bootstrap = await db.ApiClients.AsNoTracking().SingleAsync(c => c.Name == IngestSettings.BootstrapClientName);
        Assert.Equal(ApiScope.SubmitChanges | ApiScope.AttachProvenance | ApiScope.ReadChanges, bootstrap.Scopes);

        await registry.EnsureAsync("configured-scopes", "configured-scopes-key-0123456789", ApiScope.ReadChanges);
        await registry.EnsureAsync("configured-scopes", "configured-scopes-key-0123456789", ApiScope.ReadChanges | ApiScope.TriggerPolls);

        Assert.Equal(ApiScope.ReadChanges | ApiScope.TriggerPolls, (await db.ApiClients.AsNoTracking().SingleAsync(c => c.Name == "configured-scopes")).Scopes);
        Assert.NotNull(await registry.AuthenticateAsync("configured-scopes-key-0123456789", CancellationToken.None));
    }
}
