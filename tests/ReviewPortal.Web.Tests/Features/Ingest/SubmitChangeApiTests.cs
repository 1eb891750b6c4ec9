using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Domain.Risk;
using ReviewPortal.Testing;
using ReviewPortal.Web.Data;

namespace ReviewPortal.Web.Tests.Features.Ingest;

public sealed class SubmitChangeApiTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private static object ValidBody(string path = "src/Payments/Auth/TokenService.cs") => new
    {
        title = "Shorten access token lifetime",
        repository = "acme/payments-api",
        author = "payments-agent[bot]",
        prompter = "dana@acme.test",
        agentSessionId = "sess_123",
        modelVersion = "claude-sonnet-4.5",
        prompt = "Reduce access token lifetime to 15 minutes.",
        files = new[] { new { path, oldContent = "var lifetime = TimeSpan.FromHours(12);\n", newContent = "var lifetime = TimeSpan.FromMinutes(15);\n" } },
    };

    private HttpClient Client() => fixture.Factory.CreateAgentClient();

    [Fact]
    public async Task A_valid_submission_is_stored_scored_and_readable()
    {
        using var client = Client();

        var response = await client.PostAsJsonAsync("/api/changes", ValidBody());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("id").GetInt64();
        Assert.Equal($"/api/changes/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal(40, created.GetProperty("riskScore").GetInt32());
        Assert.Equal(3, created.GetProperty("tier").GetInt32());
        Assert.Equal($"/changes/{id}", created.GetProperty("reviewUrl").GetString());

        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var stored = await db.Changes.Include(c => c.Revisions).ThenInclude(r => r.Files).Include(c => c.Revisions).ThenInclude(r => r.RiskContributions).SingleAsync(c => c.Id == id);
        var revision = Assert.Single(stored.Revisions);
        Assert.Equal("sess_123", stored.AgentSessionId);
        Assert.Equal("dana@acme.test", stored.Prompter);
        Assert.Equal(ChangeState.Pending, stored.State);
        Assert.Equal(RiskTier.High, stored.Tier);
        Assert.Equal((1, 1), (stored.Additions, stored.Deletions));
        Assert.Equal((1, 1), (revision.Number, stored.RevisionCount));
        Assert.Equal("var lifetime = TimeSpan.FromMinutes(15);\n", Assert.Single(revision.Files).NewContent);
        Assert.Equal("security-paths", Assert.Single(revision.RiskContributions).RuleId);

        var read = await client.GetFromJsonAsync<JsonElement>($"/api/changes/{id}");
        Assert.Equal("Pending", read.GetProperty("state").GetString());
        Assert.Equal("security-paths", read.GetProperty("riskContributions")[0].GetProperty("ruleId").GetString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-key")]
    public async Task A_missing_or_wrong_api_key_gets_401_problem(string? key)
    {
        using var client = fixture.Factory.CreateClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
        }

        var problem = await ProblemJson.ReadAsync(await client.PostAsJsonAsync("/api/changes", ValidBody()), HttpStatusCode.Unauthorized);

        Assert.Contains("API key", problem.GetProperty("title").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_json_gets_400_problem_naming_where_it_broke()
    {
        using var client = Client();

        var response = await client.PostAsync("/api/changes", new StringContent("{\"title\": \"x\", \"files\": [ {\"path\": ", Encoding.UTF8, "application/json"));

        var problem = await ProblemJson.ReadAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(problem.GetProperty("errors").EnumerateObject(), e => e.Name.StartsWith("files", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_field_of_the_wrong_type_is_named()
    {
        using var client = Client();

        var response = await client.PostAsync("/api/changes", new StringContent("{\"title\": 42}", Encoding.UTF8, "application/json"));

        var problem = await ProblemJson.ReadAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("title", out _));
    }

    [Fact]
    public async Task Missing_required_fields_are_each_named()
    {
        using var client = Client();

        var problem = await ProblemJson.ReadAsync(await client.PostAsJsonAsync("/api/changes", new { prompt = "only a prompt" }), HttpStatusCode.BadRequest);

        var errors = problem.GetProperty("errors");
        foreach (var field in new[] { "title", "repository", "author", "files" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"expected an error for {field}");
        }
    }

    [Theory]
    [InlineData("../etc/passwd")]
    [InlineData("/abs/path.cs")]
    [InlineData("src//double.cs")]
    [InlineData("src\\win.cs")]
    public async Task Unsafe_file_paths_are_refused(string path)
    {
        using var client = Client();

        var problem = await ProblemJson.ReadAsync(await client.PostAsJsonAsync("/api/changes", ValidBody(path)), HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty("files[0].path", out _));
    }

    [Fact]
    public async Task Duplicate_paths_and_unchanged_files_are_refused()
    {
        using var client = Client();
        var body = new
        {
            title = "t", repository = "r", author = "a",
            files = new[]
            {
                new { path = "a.cs", oldContent = "x", newContent = "y" },
                new { path = "a.cs", oldContent = "x", newContent = "z" },
                new { path = "b.cs", oldContent = "same", newContent = "same" },
            },
        };

        var errors = (await ProblemJson.ReadAsync(await client.PostAsJsonAsync("/api/changes", body), HttpStatusCode.BadRequest)).GetProperty("errors");

        Assert.True(errors.TryGetProperty("files[1].path", out _));
        Assert.True(errors.TryGetProperty("files[2]", out _));
    }

    [Fact]
    public async Task A_refused_submission_stores_nothing()
    {
        using var client = Client();
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var before = await db.Changes.CountAsync();

        await client.PostAsJsonAsync("/api/changes", new { title = "no files", repository = "r", author = "a", files = Array.Empty<object>() });

        Assert.Equal(before, await db.Changes.CountAsync());
    }

    [Fact]
    public async Task A_non_json_body_gets_415_problem()
    {
        using var client = Client();

        await ProblemJson.ReadAsync(await client.PostAsync("/api/changes", new StringContent("title=x", Encoding.UTF8, "text/plain")), HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Framework_errors_on_api_paths_are_problem_json_too()
    {
        using var client = Client();

        await ProblemJson.ReadAsync(await client.DeleteAsync("/api/changes"), HttpStatusCode.MethodNotAllowed);
        await ProblemJson.ReadAsync(await client.GetAsync("/api/no-such-endpoint"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_unknown_change_gets_404_problem()
    {
        using var client = Client();

        await ProblemJson.ReadAsync(await client.GetAsync("/api/changes/987654321"), HttpStatusCode.NotFound);
    }
    [Fact]
    public async Task A_full_provenance_bundle_is_stored_and_its_coverage_and_findings_feed_the_score()
    {
        using var client = Client();
        var body = new
        {
            title = "Rotate signing keys", repository = "acme/payments-api", author = "payments-agent[bot]", prompter = "dana@acme.test",
            agentSessionId = "sess_full", modelVersion = "claude-sonnet-4.5", modelParametersHash = "sha256:abc", agentTool = "claude-code",
            prompt = "Rotate the signing keys in src/Payments/Auth/TokenService.cs.",
            tests = new { passed = 120, failed = 0, skipped = 2 }, coveragePercent = 62.5, policyComplianceScore = 91.0,
            securityFindings = new[] { new { severity = "high", title = "Weak key size", path = "src/Payments/Auth/TokenService.cs" } },
            rollbackPlan = new { steps = "Revert the commit and redeploy.", blastRadius = "token issuance for all tenants" },
            files = new[] { new { path = "src/Payments/Auth/TokenService.cs", oldContent = "var bits = 2048;\n", newContent = "var bits = 1024;\n" } },
        };

        var response = await client.PostAsJsonAsync("/api/changes", body);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(40 + 25 + 35, created.GetProperty("riskScore").GetInt32());
        Assert.Equal(4, created.GetProperty("tier").GetInt32());
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Changes.SingleAsync(c => c.Id == created.GetProperty("id").GetInt64());
        Assert.Equal(("sha256:abc", "claude-code"), (stored.ModelParametersHash, stored.AgentTool));
        Assert.Equal(62.5, stored.Provenance!.CoveragePercent);
        Assert.Equal(120, stored.Provenance.Tests!.Passed);
        Assert.Equal("token issuance for all tenants", stored.Provenance.Rollback!.BlastRadius);
        Assert.Equal(ReviewPortal.Domain.Risk.FindingSeverity.High, Assert.Single(stored.Provenance.SecurityFindings!).Severity);
        Assert.True(stored.IsAgentAuthored);
        Assert.False(stored.IsUntraced);
    }

    [Fact]
    public async Task Invalid_provenance_fields_are_each_named()
    {
        using var client = Client();
        var body = new
        {
            title = "t", repository = "r", author = "a",
            coveragePercent = 120, tests = new { passed = -1, failed = 0, skipped = 0 },
            securityFindings = new object[] { new { severity = "urgent", title = "x" }, new { severity = "low", title = "" } },
            rollbackPlan = new { steps = " ", blastRadius = "all" },
            files = new[] { new { path = "a.cs", oldContent = "a", newContent = "b" } },
        };

        var errors = (await ProblemJson.ReadAsync(await client.PostAsJsonAsync("/api/changes", body), HttpStatusCode.BadRequest)).GetProperty("errors");

        foreach (var field in new[] { "coveragePercent", "tests", "securityFindings[0].severity", "securityFindings[1].title", "rollbackPlan.steps" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"expected an error for {field}");
        }
    }

    [Fact]
    public async Task Files_outside_the_scope_the_prompt_names_raise_the_score()
    {
        using var client = Client();
        var body = new
        {
            title = "Fix rounding", repository = "acme/billing", author = "billing-agent[bot]", agentSessionId = "sess_scope",
            prompt = "Fix the rounding bug in src/Billing/Rounding.cs only.",
            files = new[]
            {
                new { path = "src/Billing/Rounding.cs", oldContent = "Math.Round(x);\n", newContent = "Math.Round(x, 2);\n" },
                new { path = "deploy/values.yaml", oldContent = "replicas: 2\n", newContent = "replicas: 6\n" },
            },
        };

        var created = await (await client.PostAsJsonAsync("/api/changes", body)).Content.ReadFromJsonAsync<JsonElement>();
        var read = await client.GetFromJsonAsync<JsonElement>($"/api/changes/{created.GetProperty("id").GetInt64()}");

        var rule = Assert.Single(read.GetProperty("riskContributions").EnumerateArray(), r => r.GetProperty("ruleId").GetString() == "out-of-scope");
        var evidence = Assert.Single(rule.GetProperty("evidence").EnumerateArray());
        Assert.Equal("deploy/values.yaml", evidence.GetProperty("path").GetString());
    }
}
