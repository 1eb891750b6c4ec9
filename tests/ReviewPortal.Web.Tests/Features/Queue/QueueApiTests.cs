using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Domain.Risk;
using ReviewPortal.Testing;
using ReviewPortal.Web.Features.Ingest;

namespace ReviewPortal.Web.Tests.Features.Queue;

public sealed class QueueApiTests(QueueFixture fixture) : IClassFixture<QueueFixture>
{
    private const string BootstrapClient = IngestSettings.BootstrapClientName;

    private HttpClient ApiClient() => fixture.Factory.CreateAgentClient();

    [Fact]
    [Trait("Category", "DecisionIntegrity")]
    public async Task A_tier_4_change_answers_a_plain_reviewer_exactly_as_a_missing_one_and_200_to_a_security_reviewer()
    {
        var change = await fixture.AddAsync(new(QueueFixture.NewRepository()) { Tier = RiskTier.Critical, Title = "Rotate signing keys" });
        using var reviewer = await fixture.SignedInClientAsync(QueueFixture.Riley);
        using var security = await fixture.SignedInClientAsync(QueueFixture.Sasha);

        var (hidden, missing) = await HiddenAndMissingAsync(reviewer, change.Id);
        var allowed = await security.GetFromJsonAsync<JsonElement>($"/api/changes/{change.Id}");

        Assert.Equal(missing, hidden);
        Assert.DoesNotContain("Rotate signing keys", hidden, StringComparison.Ordinal);
        Assert.Equal("Rotate signing keys", allowed.GetProperty("title").GetString());
        Assert.Equal(4, allowed.GetProperty("tier").GetInt32());
    }

    [Fact]
    [Trait("Category", "DecisionIntegrity")]
    public async Task An_api_client_reads_the_tier_4_changes_it_submitted_and_others_do_not_exist_for_it()
    {
        var own = await fixture.AddAsync(new(QueueFixture.NewRepository()) { Tier = RiskTier.Critical, SubmittedBy = BootstrapClient });
        var other = await fixture.AddAsync(new(QueueFixture.NewRepository()) { Tier = RiskTier.Critical, SubmittedBy = "payments-agent" });
        var low = await fixture.AddAsync(new(QueueFixture.NewRepository()) { Tier = RiskTier.Low, SubmittedBy = "payments-agent" });
        using var client = ApiClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/changes/{own.Id}")).StatusCode);
        var (hidden, missing) = await HiddenAndMissingAsync(client, other.Id);
        Assert.Equal(missing, hidden);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/changes/{low.Id}")).StatusCode);
    }

    /// <summary>The raw bodies for a hidden change and for an id that does not exist, both checked to be 404 problem+json.</summary>
    private static async Task<(string Hidden, string Missing)> HiddenAndMissingAsync(HttpClient client, long hiddenId)
    {
        using var hidden = await client.GetAsync($"/api/changes/{hiddenId}");
        using var missing = await client.GetAsync($"/api/changes/{long.MaxValue}");
        await ProblemJson.ReadAsync(hidden, HttpStatusCode.NotFound);
        await ProblemJson.ReadAsync(missing, HttpStatusCode.NotFound);
        return (await hidden.Content.ReadAsStringAsync(), await missing.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Without_a_key_or_a_session_the_read_api_answers_401_and_a_wrong_key_is_not_saved_by_a_cookie()
    {
        var change = await fixture.AddAsync(new(QueueFixture.NewRepository()) { Tier = RiskTier.Low });
        using var anonymous = fixture.Factory.CreateClient(new() { AllowAutoRedirect = false });
        using var signedIn = await fixture.SignedInClientAsync(QueueFixture.Sasha);
        signedIn.DefaultRequestHeaders.Add("X-Api-Key", "rp_000000000000_wrong");

        await ProblemJson.ReadAsync(await anonymous.GetAsync($"/api/changes/{change.Id}"), HttpStatusCode.Unauthorized);
        await ProblemJson.ReadAsync(await anonymous.GetAsync("/api/changes"), HttpStatusCode.Unauthorized);
        await ProblemJson.ReadAsync(await signedIn.GetAsync($"/api/changes/{change.Id}"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_queue_lists_with_the_pages_filters_and_holds_back_tier_4_from_plain_reviewers()
    {
        var repo = QueueFixture.NewRepository();
        await fixture.AddAsync(new(repo) { Title = "critical", Tier = RiskTier.Critical });
        await fixture.AddAsync(new(repo) { Title = "high, breached", Tier = RiskTier.High, Age = TimeSpan.FromHours(5) });
        await fixture.AddAsync(new(repo) { Title = "low", Tier = RiskTier.Low, AssignedTo = QueueFixture.Riley });
        using var reviewer = await fixture.SignedInClientAsync(QueueFixture.Riley);
        using var security = await fixture.SignedInClientAsync(QueueFixture.Sasha);
        var query = $"repository={Uri.EscapeDataString(repo)}";

        var plain = await reviewer.GetFromJsonAsync<JsonElement>($"/api/changes?view=all&{query}");
        var full = await security.GetFromJsonAsync<JsonElement>($"/api/changes?{query}");
        var breached = await security.GetFromJsonAsync<JsonElement>($"/api/changes?{query}&slaBreached=true");
        var mine = await reviewer.GetFromJsonAsync<JsonElement>($"/api/changes?view=mine&{query}");
        var securityQueue = await security.GetFromJsonAsync<JsonElement>($"/api/changes?view=security&{query}");

        Assert.Equal(2, plain.GetProperty("total").GetInt32());
        Assert.DoesNotContain(plain.GetProperty("items").EnumerateArray(), i => i.GetProperty("tier").GetInt32() == 4);
        Assert.Equal(3, full.GetProperty("total").GetInt32());
        var item = Assert.Single(breached.GetProperty("items").EnumerateArray());
        Assert.Equal(("high, breached", true, 240), (item.GetProperty("title").GetString(), item.GetProperty("slaBreached").GetBoolean(), item.GetProperty("slaMinutes").GetInt32()));
        Assert.Equal(["high, breached", "low"], mine.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("title").GetString()).Order(StringComparer.Ordinal));
        Assert.Equal("Riley Reviewer", mine.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("title").GetString() == "low").GetProperty("assignedTo").GetString());
        Assert.Equal("critical", Assert.Single(securityQueue.GetProperty("items").EnumerateArray()).GetProperty("title").GetString());
    }

    [Fact]
    public async Task The_queue_pages_on_the_server()
    {
        var repo = QueueFixture.NewRepository();
        for (var i = 0; i < 5; i++)
        {
            await fixture.AddAsync(new(repo) { Title = $"change {i}", Age = TimeSpan.FromMinutes(50 - i) });
        }

        using var client = ApiClient();
        var page = await client.GetFromJsonAsync<JsonElement>($"/api/changes?repository={Uri.EscapeDataString(repo)}&pageSize=2&page=3&sort=submitted");

        Assert.Equal((5, 3, 2), (page.GetProperty("total").GetInt32(), page.GetProperty("page").GetInt32(), page.GetProperty("pageSize").GetInt32()));
        Assert.Equal("change 4", Assert.Single(page.GetProperty("items").EnumerateArray()).GetProperty("title").GetString());
    }

    [Theory]
    [InlineData("tier=9", "tier")]
    [InlineData("tier=two", "tier")]
    [InlineData("state=open", "state")]
    [InlineData("untraced=maybe", "untraced")]
    [InlineData("olderThanHours=-3", "olderThanHours")]
    [InlineData("slaBreached=1", "slaBreached")]
    [InlineData("sort=colour", "sort")]
    [InlineData("desc=yes", "desc")]
    [InlineData("page=0", "page")]
    [InlineData("pageSize=1000", "pageSize")]
    [InlineData("view=everything", "view")]
    [InlineData("view=mine", "view")]
    [InlineData("tier=1&tier=2", "tier")]
    public async Task A_bad_query_value_gets_400_naming_the_parameter(string query, string parameter)
    {
        using var client = ApiClient();

        var problem = await ProblemJson.ReadAsync(await client.GetAsync($"/api/changes?{query}"), HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out var messages), problem.GetRawText());
        Assert.NotEmpty(messages.EnumerateArray());
    }

    [Fact]
    public async Task A_search_longer_than_allowed_gets_400()
    {
        using var client = ApiClient();

        var problem = await ProblemJson.ReadAsync(await client.GetAsync($"/api/changes?q={new string('x', 201)}"), HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty("q", out _));
    }

    [Fact]
    public async Task The_security_queue_answers_403_to_a_plain_reviewer()
    {
        using var reviewer = await fixture.SignedInClientAsync(QueueFixture.Riley);

        await ProblemJson.ReadAsync(await reviewer.GetAsync("/api/changes?view=security"), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Filter_values_are_read_case_insensitively_and_the_state_may_use_either_spelling()
    {
        var repo = QueueFixture.NewRepository();
        await fixture.AddAsync(new(repo) { Title = "asked to revise", State = ChangeState.ChangesRequested });
        using var client = ApiClient();

        var kebab = await client.GetFromJsonAsync<JsonElement>($"/api/changes?repository={Uri.EscapeDataString(repo)}&state=changes-requested&sort=TIER");
        var enumName = await client.GetFromJsonAsync<JsonElement>($"/api/changes?repository={Uri.EscapeDataString(repo)}&state=ChangesRequested");

        Assert.Equal(1, kebab.GetProperty("total").GetInt32());
        Assert.Equal(1, enumName.GetProperty("total").GetInt32());
        Assert.Equal("ChangesRequested", kebab.GetProperty("items")[0].GetProperty("state").GetString());
    }
}
