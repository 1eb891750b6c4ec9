using Microsoft.Extensions.DependencyInjection;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Domain.Risk;
using ReviewPortal.Web.Features.Queue;
using ReviewPortal.Web.Features.Shared;
using ReviewPortal.Domain.People;

namespace ReviewPortal.Web.Tests.Features.Queue;

public sealed class QueueQueryTests(QueueFixture fixture) : IClassFixture<QueueFixture>
{
    private QueueQuery Query => fixture.Services.GetRequiredService<QueueQuery>();

    private async Task<QueueResult> LoadAsync(string viewerEmail, QueueFilter filter) =>
        await Query.LoadAsync(filter, await fixture.ViewerAsync(viewerEmail));

    private async Task<List<string>> TitlesAsync(string viewerEmail, QueueFilter filter) =>
        (await LoadAsync(viewerEmail, filter with { PageSize = QueueFilter.MaxPageSize })).Rows.Select(r => r.Title).ToList();

    private static QueueFilter All(string repository) => new() { View = QueueView.All, Repository = repository };

    [Fact]
    public async Task My_queue_holds_open_tier_1_to_3_changes_that_are_mine_or_unassigned()
    {
        var repo = QueueFixture.NewRepository();
        await fixture.AddAsync(new(repo) { Title = "unassigned tier 1", Tier = RiskTier.Low });
        await fixture.AddAsync(new(repo) { Title = "mine tier 3", Tier = RiskTier.High, AssignedTo = QueueFixture.Riley });
        await fixture.AddAsync(new(repo) { Title = "Sam's", AssignedTo = QueueFixture.Sam });
        await fixture.AddAsync(new(repo) { Title = "approved", State = ChangeState.Approved });
        await fixture.AddAsync(new(repo) { Title = "changes requested", State = ChangeState.ChangesRequested });
        await fixture.AddAsync(new(repo) { Title = "merged without us", ScmState = "merged" });
        await fixture.AddAsync(new(repo) { Title = "tier 4 for Riley", Tier = RiskTier.Critical, AssignedTo = QueueFixture.Riley });

        var riley = await TitlesAsync(QueueFixture.Riley, new QueueFilter { View = QueueView.Mine, Repository = repo });
        var sam = await TitlesAsync(QueueFixture.Sam, new QueueFilter { View = QueueView.Mine, Repository = repo });
        var sasha = await TitlesAsync(QueueFixture.Sasha, new QueueFilter { View = QueueView.Mine, Repository = repo });

        Assert.Equal(["mine tier 3", "unassigned tier 1"], riley.Order(StringComparer.Ordinal));
        Assert.Equal(["Sam's", "unassigned tier 1"], sam.Order(StringComparer.Ordinal));
        // My queue is tiers 1-3 for everyone, security reviewers included; their tier 4 is the security queue.
        Assert.Equal(["unassigned tier 1"], sasha);
    }

    [Fact]
    public async Task The_security_queue_holds_open_tier_4_changes_whoever_has_them()
    {
        var repo = QueueFixture.NewRepository();
        await fixture.AddAsync(new(repo) { Title = "critical, Kim's", Tier = RiskTier.Critical, AssignedTo = QueueFixture.Kim });
        await fixture.AddAsync(new(repo) { Title = "critical, nobody's", Tier = RiskTier.Critical });
        await fixture.AddAsync(new(repo) { Title = "critical, rejected", Tier = RiskTier.Critical, State = ChangeState.Rejected });
        await fixture.AddAsync(new(repo) { Title = "high", Tier = RiskTier.High });

        var titles = await TitlesAsync(QueueFixture.Sasha, new QueueFilter { View = QueueView.Security, Repository = repo });

        Assert.Equal(["critical, Kim's", "critical, nobody's"], titles.Order(StringComparer.Ordinal));
        Assert.Empty(await TitlesAsync(QueueFixture.Riley, new QueueFilter { View = QueueView.Security, Repository = repo }));
    }

    [Theory]
    [InlineData(QueueFixture.Riley, false)]
    [InlineData(QueueFixture.Morgan, false)]
    [InlineData(QueueFixture.Sasha, true)]
    public async Task All_changes_include_tier_4_only_for_security_reviewers(string viewer, bool seesTier4)
    {
        var repo = QueueFixture.NewRepository();
        await fixture.AddAsync(new(repo) { Title = "critical", Tier = RiskTier.Critical });
        await fixture.AddAsync(new(repo) { Title = "critical and decided", Tier = RiskTier.Critical, State = ChangeState.Approved });
        await fixture.AddAsync(new(repo) { Title = "low", Tier = RiskTier.Low });

        var page = await LoadAsync(viewer, All(repo));
        var facets = await Query.LoadFacetsAsync(await fixture.ViewerAsync(viewer));

        Assert.Equal(seesTier4 ? 3 : 1, page.Total);
        Assert.Equal(seesTier4, page.Rows.Any(r => r.Tier == RiskTier.Critical));
        Assert.Contains(repo, facets.Repositories);
    }

    [Fact]
    public async Task An_api_client_sees_the_tier_4_changes_it_submitted_and_no_others()
    {
        var repo = QueueFixture.NewRepository();
        await fixture.AddAsync(new(repo) { Title = "mine", Tier = RiskTier.Critical, SubmittedBy = "ci-main" });
        await fixture.AddAsync(new(repo) { Title = "theirs", Tier = RiskTier.Critical, SubmittedBy = "payments-agent" });
        await fixture.AddAsync(new(repo) { Title = "theirs, low", Tier = RiskTier.Low, SubmittedBy = "payments-agent" });

        var page = await Query.LoadAsync(All(repo) with { PageSize = 50 }, ChangeViewer.ForApiClient("ci-main"));

        Assert.Equal(["mine", "theirs, low"], page.Rows.Select(r => r.Title).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Each_filter_narrows_the_list()
    {
        var repo = QueueFixture.NewRepository();
        var other = QueueFixture.NewRepository();
        await fixture.AddAsync(new(repo) { Title = "tier 1 claude", Tier = RiskTier.Low, ModelVersion = "claude-sonnet-4.5" });
        await fixture.AddAsync(new(repo) { Title = "tier 3 gpt", Tier = RiskTier.High, ModelVersion = "gpt-5.1-codex" });
        await fixture.AddAsync(new(repo) { Title = "untraced", AgentSessionId = null });
        await fixture.AddAsync(new(repo) { Title = "blank session", AgentSessionId = "  " });
        await fixture.AddAsync(new(repo) { Title = "human, no session", AgentSessionId = null, IsAgentAuthored = false });
        await fixture.AddAsync(new(repo) { Title = "rejected", State = ChangeState.Rejected });
        await fixture.AddAsync(new(repo) { Title = "two days old", Age = TimeSpan.FromHours(49) });
        await fixture.AddAsync(new(other) { Title = "other repository" });

        Assert.DoesNotContain("other repository", await TitlesAsync(QueueFixture.Riley, All(repo)));
        Assert.Equal(["tier 3 gpt"], await TitlesAsync(QueueFixture.Riley, All(repo) with { Tier = RiskTier.High }));
        Assert.Equal(["rejected"], await TitlesAsync(QueueFixture.Riley, All(repo) with { State = ChangeState.Rejected }));
        Assert.Equal(["tier 1 claude"], await TitlesAsync(QueueFixture.Riley, All(repo) with { ModelVersion = "claude-sonnet-4.5" }));
        Assert.Equal(["blank session", "untraced"], (await TitlesAsync(QueueFixture.Riley, All(repo) with { UntracedOnly = true })).Order(StringComparer.Ordinal));
        Assert.Equal(["two days old"], await TitlesAsync(QueueFixture.Riley, All(repo) with { OlderThanHours = 48 }));
        Assert.Equal(["two days old"], await TitlesAsync(QueueFixture.Riley, All(repo) with { OlderThanHours = 24, Tier = RiskTier.Medium }));
    }

    [Fact]
    public async Task Sla_breached_means_pending_longer_than_its_tiers_sla()
    {
        var repo = QueueFixture.NewRepository();
        await fixture.AddAsync(new(repo) { Title = "tier 4 after 3 h", Tier = RiskTier.Critical, Age = TimeSpan.FromHours(3) });
        await fixture.AddAsync(new(repo) { Title = "tier 3 after 3 h", Tier = RiskTier.High, Age = TimeSpan.FromHours(3) });
        await fixture.AddAsync(new(repo) { Title = "tier 2 after 9 h", Tier = RiskTier.Medium, Age = TimeSpan.FromHours(9) });
        await fixture.AddAsync(new(repo) { Title = "tier 1 after 23 h", Tier = RiskTier.Low, Age = TimeSpan.FromHours(23) });
        await fixture.AddAsync(new(repo) { Title = "tier 1 after 25 h", Tier = RiskTier.Low, Age = TimeSpan.FromHours(25) });
        await fixture.AddAsync(new(repo) { Title = "approved after 30 h", Tier = RiskTier.Low, Age = TimeSpan.FromHours(30), State = ChangeState.Approved });

        var breached = await TitlesAsync(QueueFixture.Sasha, All(repo) with { SlaBreachedOnly = true });

        Assert.Equal(["tier 1 after 25 h", "tier 2 after 9 h", "tier 4 after 3 h"], breached.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("ROTATE", "Rotate signing keys")]
    [InlineData("identity-agent", "Enforce MFA")]
    [InlineData("agent/oauth-state", "Validate OAuth state")]
    public async Task Search_matches_title_author_and_branch_case_insensitively(string search, string expected)
    {
        var repo = QueueFixture.NewRepository();
        await fixture.AddAsync(new(repo) { Title = "Rotate signing keys", Branch = "agent/jwt-rotation" });
        await fixture.AddAsync(new(repo) { Title = "Enforce MFA", Author = "identity-agent[bot]" });
        await fixture.AddAsync(new(repo) { Title = "Validate OAuth state", Branch = "agent/oauth-state-check" });

        Assert.Equal([expected], await TitlesAsync(QueueFixture.Riley, All(repo) with { Search = search }));
    }

    [Fact]
    public async Task Search_finds_a_change_by_its_number_and_treats_like_wildcards_as_text()
    {
        var repo = QueueFixture.NewRepository();
        var target = await fixture.AddAsync(new(repo) { Title = "Raise the limit to 100%" });
        await fixture.AddAsync(new(repo) { Title = "Raise the limit to 1000" });

        Assert.Equal(["Raise the limit to 100%"], await TitlesAsync(QueueFixture.Riley, All(repo) with { Search = $"#{target.Id}" }));
        Assert.Equal(["Raise the limit to 100%"], await TitlesAsync(QueueFixture.Riley, All(repo) with { Search = target.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) }));
        Assert.Equal(["Raise the limit to 100%"], await TitlesAsync(QueueFixture.Riley, All(repo) with { Search = "100%" }));
        Assert.Empty(await TitlesAsync(QueueFixture.Riley, All(repo) with { Search = "limit_to" }));
    }

    [Fact]
    public async Task Pages_split_the_list_without_gaps_or_repeats_and_count_the_whole()
    {
        var repo = QueueFixture.NewRepository();
        for (var i = 0; i < 23; i++)
        {
            await fixture.AddAsync(new(repo) { Title = $"change {i:D2}", Age = TimeSpan.FromMinutes(10 + i) });
        }

        var pages = new List<QueueResult>();
        for (var page = 1; page <= 3; page++)
        {
            pages.Add(await LoadAsync(QueueFixture.Riley, All(repo) with { Page = page, PageSize = 10 }));
        }

        Assert.All(pages, p => Assert.Equal(23, p.Total));
        Assert.Equal([10, 10, 3], pages.Select(p => p.Rows.Count));
        var titles = pages.SelectMany(p => p.Rows).Select(r => r.Title).ToList();
        Assert.Equal(23, titles.Distinct(StringComparer.Ordinal).Count());
        // Urgency: same tier, so the oldest (closest to its deadline) first.
        Assert.Equal(Enumerable.Range(0, 23).Reverse().Select(i => $"change {i:D2}"), titles);
    }

    [Fact]
    public async Task Urgency_puts_open_changes_first_then_the_nearest_sla_deadline()
    {
        var repo = QueueFixture.NewRepository();
        await fixture.AddAsync(new(repo) { Title = "tier 1, 20 h old (4 h left)", Tier = RiskTier.Low, Age = TimeSpan.FromHours(20) });
        await fixture.AddAsync(new(repo) { Title = "tier 4, 1 h old (1 h left)", Tier = RiskTier.Critical, Age = TimeSpan.FromHours(1) });
        await fixture.AddAsync(new(repo) { Title = "tier 2, 10 h old (2 h over)", Tier = RiskTier.Medium, Age = TimeSpan.FromHours(10) });
        await fixture.AddAsync(new(repo) { Title = "rejected, very old", Tier = RiskTier.Medium, Age = TimeSpan.FromDays(9), State = ChangeState.Rejected });

        var titles = await TitlesAsync(QueueFixture.Sasha, All(repo));

        Assert.Equal(["tier 2, 10 h old (2 h over)", "tier 4, 1 h old (1 h left)", "tier 1, 20 h old (4 h left)", "rejected, very old"], titles);
    }

    [Theory]
    [InlineData(QueueSort.Tier, false, "a-low", "b-medium", "c-high")]
    [InlineData(QueueSort.Tier, true, "c-high", "b-medium", "a-low")]
    [InlineData(QueueSort.Submitted, false, "b-medium", "a-low", "c-high")]
    [InlineData(QueueSort.Title, true, "c-high", "b-medium", "a-low")]
    public async Task Sorting_orders_by_the_chosen_column(QueueSort sort, bool descending, string first, string second, string third)
    {
        var repo = QueueFixture.NewRepository();
        await fixture.AddAsync(new(repo) { Title = "a-low", Tier = RiskTier.Low, Age = TimeSpan.FromHours(2) });
        await fixture.AddAsync(new(repo) { Title = "b-medium", Tier = RiskTier.Medium, Age = TimeSpan.FromHours(3) });
        await fixture.AddAsync(new(repo) { Title = "c-high", Tier = RiskTier.High, Age = TimeSpan.FromHours(1) });

        Assert.Equal([first, second, third], await TitlesAsync(QueueFixture.Riley, All(repo) with { Sort = sort, Descending = descending }));
    }

    [Fact]
    public async Task An_unknown_or_anonymous_account_is_no_viewer_and_may_open_no_change()
    {
        var directory = fixture.Services.GetRequiredService<ReviewerDirectory>();
        await using var scope = fixture.Services.CreateAsyncScope();
        var authorization = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Authorization.IAuthorizationService>();
        var stranger = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
            [new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.NameIdentifier, "no-such-user")], "test"));

        Assert.Null(await directory.ViewerAsync(stranger));
        Assert.Null(await directory.ViewerAsync(new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity())));
        var change = await fixture.AddAsync(new(QueueFixture.NewRepository()) { Tier = RiskTier.Low });
        Assert.Equal(ChangeAccessResult.NotFound, await authorization.CheckChangeAsync(stranger, change.Id));
    }
}
