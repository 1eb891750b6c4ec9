using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ReviewPortal.Domain.Text;
using ReviewPortal.Testing;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Features.Admin;

namespace ReviewPortal.Web.Tests.Features.Ingest;

/// <summary>Every byte a client can send to the submission and provenance APIs gets a clear answer, never a 5xx.</summary>
[Trait("Category", "BadInput")]
public sealed class BadInputApiTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private static readonly Config Checks = Config.QuickThrowOnFailure.WithMaxTest(30);

    /// <summary>Every text field of <c>POST /api/changes</c>, by the path its errors are keyed with.</summary>
    private static readonly string[] SubmissionFields =
    [
        "title", "repository", "author", "prompter", "agentSessionId", "modelVersion", "prompt", "modelParametersHash", "agentTool",
        "files[0].path", "files[0].oldContent", "files[0].newContent",
        "securityFindings[0].severity", "securityFindings[0].title", "securityFindings[0].path", "rollbackPlan.steps", "rollbackPlan.blastRadius",
    ];

    /// <summary>Every text field of <c>POST /api/changes/provenance</c>.</summary>
    private static readonly string[] ProvenanceFields =
    [
        "repository", "headSha", "prompt", "prompter", "agentSessionId", "modelVersion", "modelParametersHash", "agentTool",
        "securityFindings[0].severity", "securityFindings[0].title", "securityFindings[0].path", "rollbackPlan.steps", "rollbackPlan.blastRadius",
    ];

    private HttpClient Client() => fixture.Factory.CreateAgentClient();

    /// <summary>A valid submission whose <paramref name="field"/> holds <see cref="HostileText.Placeholder"/>.</summary>
    private static string Submission(string field)
    {
        string V(string name, string valid) => name == field ? HostileText.Placeholder : valid;
        return JsonSerializer.Serialize(new
        {
            title = V("title", "Bad input"), repository = V("repository", "acme/bad-input"), author = V("author", "agent[bot]"),
            prompter = V("prompter", "dana@acme.test"), agentSessionId = V("agentSessionId", "sess_bad"), modelVersion = V("modelVersion", "m1"),
            prompt = V("prompt", "Change the file."), modelParametersHash = V("modelParametersHash", "sha256:1"), agentTool = V("agentTool", "cli"),
            files = new[] { new { path = V("files[0].path", $"docs/{Guid.NewGuid():N}.md"), oldContent = V("files[0].oldContent", "a\n"), newContent = V("files[0].newContent", "b\n") } },
            securityFindings = new[] { new { severity = V("securityFindings[0].severity", "low"), title = V("securityFindings[0].title", "Finding"), path = V("securityFindings[0].path", "docs/a.md") } },
            rollbackPlan = new { steps = V("rollbackPlan.steps", "Revert."), blastRadius = V("rollbackPlan.blastRadius", "docs") },
        });
    }

    private static string Provenance(string field, string repository, int number)
    {
        string V(string name, string valid) => name == field ? HostileText.Placeholder : valid;
        var body = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["repository"] = V("repository", repository), ["number"] = number, ["prompt"] = V("prompt", "Change the file."),
            ["prompter"] = V("prompter", "dana@acme.test"), ["agentSessionId"] = V("agentSessionId", "sess_bad"), ["modelVersion"] = V("modelVersion", "m1"),
            ["modelParametersHash"] = V("modelParametersHash", "sha256:1"), ["agentTool"] = V("agentTool", "cli"),
            ["securityFindings"] = new[] { new { severity = V("securityFindings[0].severity", "low"), title = V("securityFindings[0].title", "Finding"), path = V("securityFindings[0].path", "docs/a.md") } },
            ["rollbackPlan"] = new { steps = V("rollbackPlan.steps", "Revert."), blastRadius = V("rollbackPlan.blastRadius", "docs") },
        };
        if (field == "headSha")
        {
            body["headSha"] = HostileText.Placeholder;
        }

        return JsonSerializer.Serialize(body);
    }

    private async Task<HttpResponseMessage> PostAsync(string path, string json)
    {
        using var client = Client();
        return await client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
    }

    private async Task<(string Repository, int Number, long RepositoryId)> WebhookChangeAsync()
    {
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        var change = await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Changes.AsNoTracking()
            .Where(c => c.ExternalNumber != null && c.RepositoryId != null).OrderBy(c => c.Id).FirstAsync();
        return (change.Repository, change.ExternalNumber!.Value, change.RepositoryId!.Value);
    }

    /// <summary>Never a 5xx; an error is problem+json; text that cannot be stored is a 400 naming its field, except NUL in file content (binary).</summary>
    private static async Task<bool> AnswersClearlyAsync(HttpResponseMessage response, string field, string value)
    {
        var status = (int)response.StatusCode;
        if (status >= 500)
        {
            return false;
        }

        if (status >= 400)
        {
            if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            {
                return false;
            }

            if (status == 400 && HostileText.IsUnstorable(value) && !field.EndsWith("Content", StringComparison.Ordinal))
            {
                var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
                return problem.GetProperty("errors").TryGetProperty(field, out _);
            }
        }

        // Unstorable text outside file content is never accepted.
        return status >= 400 || !HostileText.IsUnstorable(value) || field.EndsWith("Content", StringComparison.Ordinal);
    }

    [Fact]
    public void Any_text_in_any_submission_field_gets_a_clear_answer()
    {
        var cases = Gen.Elements(SubmissionFields).SelectMany(field => HostileText.Strings.Select(value => (field, value)));

        Check.One(Checks, Prop.ForAll(cases.ToArbitrary(), c =>
        {
            using var response = PostAsync("/api/changes", HostileText.Inject(Submission(c.field), c.value)).GetAwaiter().GetResult();
            return AnswersClearlyAsync(response, c.field, c.value).GetAwaiter().GetResult();
        }));
    }

    [Fact]
    [Trait("Category", "BadInput")]
    public async Task Any_text_in_any_provenance_field_gets_a_clear_answer()
    {
        var (repository, number, repositoryId) = await WebhookChangeAsync();
        // A client granted the change's repository, so that storable values reach the write path.
        var registry = fixture.Factory.Services.GetRequiredService<ApiClientRegistry>();
        var created = await registry.CreateAsync($"bad-input-{Guid.NewGuid():N}", "test admin");
        Assert.Equal(GrantOutcome.Granted, await registry.GrantAsync(created.Client.Id, repositoryId, "test admin"));
        using var client = fixture.Factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", created.Key);
        var cases = Gen.Elements(ProvenanceFields).SelectMany(field => HostileText.Strings.Select(value => (field, value)));

        Check.One(Checks, Prop.ForAll(cases.ToArbitrary(), c =>
        {
            using var body = new StringContent(HostileText.Inject(Provenance(c.field, repository, number), c.value), Encoding.UTF8, "application/json");
            using var response = client.PostAsync("/api/changes/provenance", body).GetAwaiter().GetResult();
            return AttachAnswersAsync(response, c.field, c.value).GetAwaiter().GetResult();
        }));
    }

    /// <summary>
    /// Unstorable text is a 400 naming its field; storable text is attached (200) unless that field's own rule refuses
    /// it (a 400 naming it: too long, an unknown severity, blank); another repository is not this client's (403).
    /// </summary>
    private static async Task<bool> AttachAnswersAsync(HttpResponseMessage response, string field, string value)
    {
        if (response.StatusCode == HttpStatusCode.OK)
        {
            return !HostileText.IsUnstorable(value) && field != "repository";
        }

        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            return false;
        }

        if (response.StatusCode == HttpStatusCode.Forbidden)
        {
            return field == "repository" && !HostileText.IsUnstorable(value);
        }

        if (response.StatusCode != HttpStatusCode.BadRequest)
        {
            return false;
        }

        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        // A blank repository names no change, and the error says how to name one.
        return errors.TryGetProperty(field, out _) || (field == "repository" && string.IsNullOrWhiteSpace(value) && errors.TryGetProperty("headSha", out _));
    }

    // The bad character goes in as a code point: xunit would turn an unpaired surrogate in theory data into U+FFFD.
    [Theory]
    [InlineData("title", "Fix", 0x0000)]
    [InlineData("author", "bot", 0xD800)]
    [InlineData("prompt", "first", 0xDC00)]
    [InlineData("files[0].path", "src/a.cs", 0xDBFF)]
    [InlineData("files[0].newContent", "text with a lone", 0xDFFF)]
    [InlineData("securityFindings[0].title", "x", 0x0000)]
    public async Task Text_that_cannot_be_stored_gets_400_naming_the_field(string field, string text, int codePoint)
    {
        var value = text + (char)codePoint + text;
        using var response = await PostAsync("/api/changes", HostileText.Inject(Submission(field), value));

        var errors = (await ProblemJson.ReadAsync(response, HttpStatusCode.BadRequest)).GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), $"expected an error for {field}: {errors}");
    }

    [Fact]
    public async Task A_nul_in_the_provenance_repository_gets_400_not_a_failed_lookup()
    {
        var (repository, number, _) = await WebhookChangeAsync();

        using var response = await PostAsync("/api/changes/provenance", HostileText.Inject(Provenance("repository", repository, number), repository + "\0"));

        var errors = (await ProblemJson.ReadAsync(response, HttpStatusCode.BadRequest)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("repository", out _));
    }

    [Fact]
    public async Task File_content_with_a_nul_is_stored_and_shown_as_a_binary_file()
    {
        using var response = await PostAsync("/api/changes", HostileText.Inject(Submission("files[0].newContent"), "PNG\0\u0001\u0002binary"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        var revision = await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Revisions.AsNoTracking().Include(r => r.Files).SingleAsync(r => r.ChangeId == id);
        var file = Assert.Single(revision.Files);
        Assert.True(file.IsBinary);
        Assert.Null(file.NewContent);
        Assert.Null(file.OldContent);
        using var browser = fixture.Factory.CreateClient();
        await FormSignIn.SignInAsync(browser, DemoLogin.Reviewer);
        var html = await browser.GetStringAsync($"/changes/{id}");
        Assert.Contains("Binary", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_body_with_several_wrong_values_names_every_one()
    {
        const string json = """
            {"title": 42, "repository": ["x"], "author": "a", "coveragePercent": "high",
             "files": [{"path": "a.cs", "oldContent": "a", "newContent": "b"}, {"path": 7, "oldContent": "a", "newContent": {"x": 1}}],
             "tests": {"passed": "many"}}
            """;

        using var response = await PostAsync("/api/changes", json);

        var errors = (await ProblemJson.ReadAsync(response, HttpStatusCode.BadRequest)).GetProperty("errors");
        Assert.Equal(
            new[] { "coveragePercent", "files[1].newContent", "files[1].path", "repository", "tests.passed", "title" },
            errors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public async Task An_escaped_unpaired_surrogate_is_named_as_not_text()
    {
        using var response = await PostAsync("/api/changes", """{"title": "a\ud800b", "repository": "r", "author": "a", "files": []}""");

        var errors = (await ProblemJson.ReadAsync(response, HttpStatusCode.BadRequest)).GetProperty("errors");
        Assert.Contains("unpaired surrogate", errors.GetProperty("title")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_content_type_and_malformed_json_are_problem_json()
    {
        using var client = Client();

        await ProblemJson.ReadAsync(await client.PostAsync("/api/changes/provenance", new StringContent("payload=x", Encoding.UTF8, "application/x-www-form-urlencoded")), HttpStatusCode.UnsupportedMediaType);
        await ProblemJson.ReadAsync(await client.PostAsync("/api/changes/provenance", new StringContent("{\"repository\": ", Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest);
        await ProblemJson.ReadAsync(await client.PostAsync("/api/changes", new StringContent("[1, 2]", Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_nul_in_a_queue_query_parameter_gets_400_naming_the_parameter()
    {
        using var client = Client();

        using var response = await client.GetAsync("/api/changes?view=all&q=abc%00&repository=acme%00x");

        var errors = (await ProblemJson.ReadAsync(response, HttpStatusCode.BadRequest)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("q", out _) && errors.TryGetProperty("repository", out _), errors.ToString());
    }

    [Fact]
    public async Task A_nul_in_the_admin_api_gets_400_naming_the_field_not_a_false_conflict()
    {
        using var admin = fixture.Factory.CreateClient();
        await FormSignIn.SignInAsync(admin, DemoLogin.Admin);

        var repository = await admin.PostAsJsonAsync("/api/admin/repositories", new { provider = "github", name = "acme/nul\0name", agentLabels = new[] { "ok", "ai\0" } });
        var client = await admin.PostAsJsonAsync("/api/admin/api-clients", new { name = "ci\0bot" });
        var rules = await admin.PutAsJsonAsync("/api/admin/risk-rules", new { yaml = "version: x\0" });

        var repositoryErrors = (await ProblemJson.ReadAsync(repository, HttpStatusCode.BadRequest)).GetProperty("errors");
        Assert.True(repositoryErrors.TryGetProperty("name", out _) && repositoryErrors.TryGetProperty("agentLabels[1]", out _), repositoryErrors.ToString());
        Assert.True((await ProblemJson.ReadAsync(client, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("name", out _));
        Assert.True((await ProblemJson.ReadAsync(rules, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("yaml", out _));
    }

    [Fact]
    public void The_rule_is_one_shared_definition()
    {
        // The API's 400 and the SCM repair agree on what cannot be stored.
        Check.One(Checks, Prop.ForAll(HostileText.Strings.ToArbitrary(), value =>
            StorableText.IsStorable(value) != HostileText.IsUnstorable(value)
            && StorableText.IsStorable(StorableText.Repair(value))
            && StorableText.Repair(value).Length == value.Length));
    }
}
