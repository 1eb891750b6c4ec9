using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.EntityFrameworkCore;
using ReviewPortal.Domain.Changes;
using ReviewPortal.Domain.Text;
using ReviewPortal.Testing;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Features.Ingest.Webhooks;

namespace ReviewPortal.Web.Tests.Features.Ingest.Webhooks;

/// <summary>
/// Whatever a signed delivery carries ends in a clear state: a change (its unstorable text repaired and noted), or a
/// permanent failure with its reason that is not retried; only transient SCM trouble is retried.
/// </summary>
[Trait("Category", "BadInput")]
public sealed class WebhookBadInputTests(WebhookFixture fixture) : IClassFixture<WebhookFixture>
{
    private const string Repo = WebhookFixture.GitHubRepository;
    private static int _nextNumber = 600;

    private static int NextNumber() => Interlocked.Increment(ref _nextNumber);

    private async Task<HttpResponseMessage> SendGitHubAsync(string deliveryId, string json)
    {
        using var client = fixture.Factory.CreateClient();
        return await client.SendAsync(WebhookFixture.SignedGitHub(fixture.GitHub, deliveryId, Encoding.UTF8.GetBytes(json)));
    }

    private Task<WebhookDelivery> SettledAsync(string deliveryId) =>
        fixture.EventuallyAsync(db => db.WebhookDeliveries.AsNoTracking().FirstOrDefaultAsync(d => d.DeliveryId == deliveryId && d.Status != DeliveryStatus.Pending));

    private Task<Change> ChangeAsync(long repositoryId, int number) =>
        fixture.EventuallyAsync(db => db.Changes.AsNoTracking().Include(c => c.Events).Include(c => c.Revisions).ThenInclude(r => r.Files)
            .AsSplitQuery().FirstOrDefaultAsync(c => c.RepositoryId == repositoryId && c.ExternalNumber == number));

    [Fact]
    public async Task A_form_encoded_signed_delivery_creates_its_change()
    {
        var number = NextNumber();
        fixture.Scm.PutPullRequest(Repo, number, $"base{number}", $"head{number}", [new FakeFile("docs/form.md", "a\n", "b\n")]);
        var json = ScmPayloads.GitHubPullRequest("opened", Repo, number, $"base{number}", $"head{number}", title: "Sent as a form + signed");
        var body = Encoding.UTF8.GetBytes("payload=" + Uri.EscapeDataString(json).Replace("%20", "+", StringComparison.Ordinal));
        var request = WebhookFixture.SignedGitHub(fixture.GitHub, $"form-{number}", body);
        request.Content!.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-www-form-urlencoded");
        using var client = fixture.Factory.CreateClient();

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var change = await ChangeAsync(fixture.GitHub.Repository.Id, number);
        Assert.Equal("Sent as a form + signed", change.Title);
        Assert.Equal("docs/form.md", Assert.Single(Assert.Single(change.Revisions).Files).Path);
    }

    [Fact]
    public async Task A_form_without_a_json_payload_or_with_a_signature_over_the_json_alone_is_refused()
    {
        var json = ScmPayloads.GitHubPullRequest("opened", Repo, 1, "b", "h");
        using var client = fixture.Factory.CreateClient();
        var noPayload = WebhookFixture.SignedGitHub(fixture.GitHub, "form-no-payload", Encoding.UTF8.GetBytes("other=" + Uri.EscapeDataString(json)));
        noPayload.Content!.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-www-form-urlencoded");
        // Signed over the JSON, sent as a form: the signature must be over the raw body.
        var formBody = Encoding.UTF8.GetBytes("payload=" + Uri.EscapeDataString(json));
        var signedJson = WebhookFixture.SignedGitHub(fixture.GitHub, "form-json-signature", Encoding.UTF8.GetBytes(json)).Headers.GetValues("X-Hub-Signature-256").Single();
        var wrongSignature = WebhookFixture.SignedGitHub(fixture.GitHub, "form-json-signature", formBody, signature: signedJson);
        wrongSignature.Content!.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-www-form-urlencoded");

        await ProblemJson.ReadAsync(await client.SendAsync(noPayload), HttpStatusCode.BadRequest);
        await ProblemJson.ReadAsync(await client.SendAsync(wrongSignature), HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("""{"action":"opened","number":1}""")]
    [InlineData("""{"action":"opened","number":1,"pull_request":{"number":1,"title":null}}""")]
    [InlineData("""{"action":"opened","number":"one","pull_request":[]}""")]
    public async Task A_signed_payload_of_the_wrong_shape_fails_permanently_with_its_reason_and_is_not_retried(string json)
    {
        var deliveryId = $"wrong-shape-{Guid.NewGuid():N}";

        var response = await SendGitHubAsync(deliveryId, json);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var delivery = await SettledAsync(deliveryId);
        Assert.Equal(DeliveryStatus.Failed, delivery.Status);
        Assert.Equal(1, delivery.Attempts);
        Assert.StartsWith(InboxWorker.PermanentPrefix + "The pull_request payload does not have the expected shape", delivery.LastError, StringComparison.Ordinal);
        Assert.DoesNotContain("Object reference", delivery.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_gitlab_payload_of_the_wrong_shape_fails_permanently_too()
    {
        using var client = fixture.Factory.CreateClient();
        var deliveryId = $"gl-wrong-shape-{Guid.NewGuid():N}";

        var response = await client.SendAsync(WebhookFixture.GitLabHook(fixture.GitLab, """{"object_kind":"merge_request","object_attributes":{"iid":3}}""", fixture.GitLab.WebhookSecret, deliveryId, null));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var delivery = await SettledAsync(deliveryId);
        Assert.Equal((DeliveryStatus.Failed, 1), (delivery.Status, delivery.Attempts));
        Assert.StartsWith(InboxWorker.PermanentPrefix + "The merge request payload does not have the expected shape", delivery.LastError, StringComparison.Ordinal);
    }

    /// <summary>Opens a pull request whose file list answers <paramref name="status"/> the next <paramref name="failures"/> times.</summary>
    private async Task<(int Number, string DeliveryId)> OpenWithFailingFilesAsync(HttpStatusCode status, int failures, string? retryAfter = null)
    {
        var number = NextNumber();
        fixture.Scm.PutPullRequest(Repo, number, $"base{number}", $"head{number}", [new FakeFile("a.md", "a\n", "b\n")]);
        fixture.Scm.FailNext(failures, status, retryAfter, pathContains: $"/pulls/{number}/files");
        var deliveryId = $"scm-{(int)status}-{number}";
        await SendGitHubAsync(deliveryId, ScmPayloads.GitHubPullRequest("opened", Repo, number, $"base{number}", $"head{number}"));
        return (number, deliveryId);
    }

    [Theory]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.Forbidden)]
    [InlineData(HttpStatusCode.UnprocessableEntity)]
    public async Task An_scm_4xx_fails_the_delivery_permanently_naming_the_call(HttpStatusCode status)
    {
        var (number, deliveryId) = await OpenWithFailingFilesAsync(status, failures: 1);

        var delivery = await SettledAsync(deliveryId);
        Assert.Equal((DeliveryStatus.Failed, 1), (delivery.Status, delivery.Attempts));
        Assert.StartsWith(InboxWorker.PermanentPrefix + $"SCM call GET {fixture.Scm.GitHubApiBase}/repos/{Repo}/pulls/{number}/files", delivery.LastError, StringComparison.Ordinal);
        Assert.Contains($"answered {(int)status}", delivery.LastError, StringComparison.Ordinal);
        Assert.Single(fixture.Scm.Requests, r => r.Request.Contains($"/pulls/{number}/files", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.TooManyRequests)]
    [InlineData(HttpStatusCode.RequestTimeout)]
    public async Task An_scm_5xx_408_or_429_is_transient_and_the_delivery_is_retried_later(HttpStatusCode status)
    {
        // The SCM keeps failing (more than the in-process retries, each asked to come back at once), so every attempt
        // of the delivery fails the same way: however late this test looks, the delivery is still waiting to be retried.
        var (number, deliveryId) = await OpenWithFailingFilesAsync(status, failures: 1_000, retryAfter: "0");

        var delivery = await fixture.EventuallyAsync(db => db.WebhookDeliveries.AsNoTracking().FirstOrDefaultAsync(d => d.DeliveryId == deliveryId && d.LastError != null));
        Assert.Equal(DeliveryStatus.Pending, delivery.Status);
        Assert.InRange(delivery.Attempts, 1, int.MaxValue);
        Assert.True(delivery.NextAttemptAt > delivery.ReceivedAt, "a later attempt is scheduled");
        Assert.StartsWith($"SCM call GET {fixture.Scm.GitHubApiBase}/repos/{Repo}/pulls/{number}/files", delivery.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nul_and_unpaired_surrogates_in_a_pull_request_are_stored_as_replacement_characters_with_a_note()
    {
        var number = NextNumber();
        fixture.Scm.PutPullRequest(Repo, number, $"base{number}", $"head{number}", [new FakeFile("docs/nul.md", "a\n", "b\n")]);
        var json = HostileText.Inject(ScmPayloads.GitHubPullRequest("opened", Repo, number, $"base{number}", $"head{number}", title: HostileText.Placeholder), "Fix\0the \ud800parser");
        var deliveryId = $"nul-title-{number}";

        await SendGitHubAsync(deliveryId, json);

        Assert.Equal(DeliveryStatus.Done, (await SettledAsync(deliveryId)).Status);
        var change = await ChangeAsync(fixture.GitHub.Repository.Id, number);
        Assert.Equal("Fix\uFFFDthe \uFFFDparser", change.Title);
        var note = Assert.Single(change.Events, e => e.Kind == ChangeEventKind.TextRepaired);
        Assert.Contains("title", note.Detail, StringComparison.Ordinal);
        Assert.Equal("Unstorable text replaced", note.Kind.Label());

        // The same title again with the next event: the note is not repeated.
        var edited = HostileText.Inject(ScmPayloads.GitHubPullRequest("edited", Repo, number, $"base{number}", $"head{number}", title: HostileText.Placeholder, body: "Agent-Session: sess_nul"), "Fix\0the \ud800parser");
        await SendGitHubAsync($"nul-title-edit-{number}", edited);
        Assert.Equal(DeliveryStatus.Done, (await SettledAsync($"nul-title-edit-{number}")).Status);
        var after = await ChangeAsync(fixture.GitHub.Repository.Id, number);
        Assert.Equal("sess_nul", after.AgentSessionId);
        Assert.Single(after.Events, e => e.Kind == ChangeEventKind.TextRepaired);
    }

    [Fact]
    public async Task Scm_file_content_with_a_nul_anywhere_is_a_binary_file()
    {
        var number = NextNumber();
        var lateNul = new string('x', 10_000) + "\0tail";
        fixture.Scm.PutPullRequest(Repo, number, $"base{number}", $"head{number}",
            [new FakeFile("img/logo.png", null, "\u0089PNG\0\u0001"), new FakeFile("data/late.bin", "text\n", lateNul), new FakeFile("docs/ok.md", "a\n", "b\n")]);
        var deliveryId = $"binary-{number}";

        await SendGitHubAsync(deliveryId, ScmPayloads.GitHubPullRequest("opened", Repo, number, $"base{number}", $"head{number}"));

        Assert.Equal(DeliveryStatus.Done, (await SettledAsync(deliveryId)).Status);
        var files = Assert.Single((await ChangeAsync(fixture.GitHub.Repository.Id, number)).Revisions).Files.ToDictionary(f => f.Path, StringComparer.Ordinal);
        Assert.All(new[] { "img/logo.png", "data/late.bin" }, path => Assert.Equal((true, null, null), (files[path].IsBinary, files[path].OldContent, files[path].NewContent)));
        Assert.False(files["docs/ok.md"].IsBinary);
    }

    [Fact]
    public async Task An_admin_lists_failed_deliveries_with_their_reason()
    {
        var deliveryId = $"listed-{Guid.NewGuid():N}";
        await SendGitHubAsync(deliveryId, """{"action":"opened","number":1}""");
        await SettledAsync(deliveryId);
        using var admin = fixture.Factory.CreateClient();
        await FormSignIn.SignInAsync(admin, DemoLogin.Admin);
        using var reviewer = fixture.Factory.CreateClient();
        await FormSignIn.SignInAsync(reviewer, DemoLogin.Reviewer);

        var failed = await admin.GetFromJsonAsync<JsonElement>("/api/admin/webhook-deliveries?status=failed");

        var listed = Assert.Single(failed.EnumerateArray(), d => d.GetProperty("deliveryId").GetString() == deliveryId);
        Assert.StartsWith(InboxWorker.PermanentPrefix, listed.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.False(listed.TryGetProperty("payload", out _));
        Assert.Equal(HttpStatusCode.Forbidden, (await reviewer.GetAsync("/api/admin/webhook-deliveries")).StatusCode);
        await ProblemJson.ReadAsync(await admin.GetAsync("/api/admin/webhook-deliveries?status=lost"), HttpStatusCode.BadRequest);
    }

    /// <summary>A GitHub or GitLab delivery for a new pull request, one text field holding the placeholder.</summary>
    private (HttpRequestMessage Request, long RepositoryId, int Number, string DeliveryId) HostileDelivery(bool gitLab, string field, string value)
    {
        var number = NextNumber();
        var deliveryId = $"hostile-{number}";
        fixture.Scm.PutPullRequest(gitLab ? WebhookFixture.GitLabProject : Repo, number, $"base{number}", $"head{number}", [new FakeFile("docs/h.md", "a\n", "b\n")]);
        string P(string name, string valid) => name == field ? HostileText.Placeholder : valid;
        // The payload builders name the source branch themselves; swap it for the placeholder when it is the field.
        string Branch(string json) => field == "head ref"
            ? json.Replace($"\"agent/change-{number}\"", JsonSerializer.Serialize(HostileText.Placeholder), StringComparison.Ordinal)
            : json;
        if (gitLab)
        {
            var gitLabJson = Branch(ScmPayloads.GitLabMergeRequest("open", WebhookFixture.GitLabProject, number, $"head{number}", title: P("title", "t"), description: P("body", "d"), author: P("author", "gitlab-agent-bot"), labels: [P("label", "x")]));
            return (WebhookFixture.GitLabHook(fixture.GitLab, HostileText.Inject(gitLabJson, value), fixture.GitLab.WebhookSecret, deliveryId, null), fixture.GitLab.Repository.Id, number, deliveryId);
        }

        var json = Branch(ScmPayloads.GitHubPullRequest("opened", Repo, number, $"base{number}", $"head{number}", title: P("title", "t"), body: P("body", "d"), author: P("author", "agent[bot]"), labels: [P("label", "x")]));
        return (WebhookFixture.SignedGitHub(fixture.GitHub, deliveryId, Encoding.UTF8.GetBytes(HostileText.Inject(json, value))), fixture.GitHub.Repository.Id, number, deliveryId);
    }

    [Fact]
    public void Any_text_in_any_webhook_field_is_acknowledged_and_settles_without_retrying()
    {
        var cases = Gen.Elements(true, false).SelectMany(gitLab => Gen.Elements("title", "body", "author", "label", "head ref")
            .SelectMany(field => HostileText.Strings.Select(value => (gitLab, field, value))));

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(16), Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var (request, repositoryId, number, deliveryId) = HostileDelivery(c.gitLab, c.field, c.value);
            using var client = fixture.Factory.CreateClient();
            using var response = client.SendAsync(request).GetAwaiter().GetResult();
            if (response.StatusCode != HttpStatusCode.Accepted)
            {
                return false;
            }

            // Stored (its unstorable text repaired and noted), or, for data no column can hold (a 5,000-character
            // login), failed for good with the reason: never left pending to fail again.
            var delivery = SettledAsync(deliveryId).GetAwaiter().GetResult();
            if (delivery.Status == DeliveryStatus.Failed)
            {
                return delivery.Attempts == 1 && c.value.Length > 200
                       && delivery.LastError == $"{InboxWorker.PermanentPrefix}22001: value too long for type character varying({(c.field == "author" ? 200 : 300)})";
            }

            var change = ChangeAsync(repositoryId, number).GetAwaiter().GetResult();
            var noted = change.Events.Any(e => e.Kind == ChangeEventKind.TextRepaired);
            return StorableText.IsStorable(change.Title) && StorableText.IsStorable(change.Author) && StorableText.IsStorable(change.SourceBranch)
                   && noted == HostileText.IsUnstorable(c.value);
        }));
    }
}
