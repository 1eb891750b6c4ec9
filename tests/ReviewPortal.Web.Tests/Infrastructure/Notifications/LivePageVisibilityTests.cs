using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ReviewPortal.Domain.Risk;
using ReviewPortal.Web.Components;
using ReviewPortal.Web.Features.Queue;
using ReviewPortal.Web.Infrastructure.Notifications;
using ReviewPortal.Web.Tests.Features.Queue;
using ReviewPortal.Web.Features.Shared;
using ReviewPortal.Domain.People;

// The test renderer derives from Renderer (see InteractiveTestRenderer).
#pragma warning disable BL0006

namespace ReviewPortal.Web.Tests.Infrastructure.Notifications;

/// <summary>A live page that shows changes to a viewer, as the queue pages do; it counts its reloads.</summary>
public sealed class ViewerProbePage : LivePage
{
    private int _reloads;

    public int Reloads => Volatile.Read(ref _reloads);

    public ChangeViewer? Watching { get; set; }

    public long? OnPage { get; set; }

    protected override ChangeViewer? Viewer => Watching;

    protected override bool Shows(long changeId) => changeId == OnPage;

    protected override bool IsRelevant(ChangeNotification notification) => true;

    protected override Task ReloadForNotificationAsync()
    {
        Interlocked.Increment(ref _reloads);
        return Task.CompletedTask;
    }

    protected override void BuildRenderTree(RenderTreeBuilder builder) => builder.AddContent(0, $"reloads: {Reloads}");
}

/// <summary>Live updates follow the same visibility rule as queries and checks: a plain reviewer never hears of a tier-4 change.</summary>
[Trait("Category", "DecisionIntegrity")]
public sealed class LivePageVisibilityTests(QueueFixture fixture) : IClassFixture<QueueFixture>, IAsyncDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddLogging().AddSingleton<ChangeFeed>()
        .AddSingleton(fixture.Services.GetRequiredService<ChangeAccess>()).BuildServiceProvider();

    private ChangeFeed Feed => _services.GetRequiredService<ChangeFeed>();

    private async Task<(ViewerProbePage Page, InteractiveTestRenderer Renderer)> OpenAsync(string email)
    {
        var renderer = new InteractiveTestRenderer(_services, _services.GetRequiredService<ILoggerFactory>());
        var (page, _) = await renderer.RenderAsync<ViewerProbePage>();
        page.Watching = await fixture.ViewerAsync(email);
        return (page, renderer);
    }

    [Theory]
    [InlineData(ChangeActivity.Arrived)]
    [InlineData(ChangeActivity.Revised)]
    [InlineData(ChangeActivity.Decided)]
    public async Task A_plain_reviewers_page_hears_nothing_of_a_tier_4_change_and_a_security_reviewers_page_does(ChangeActivity activity)
    {
        var hidden = await fixture.AddAsync(new(QueueFixture.NewRepository()) { Tier = RiskTier.Critical });
        var (plain, plainRenderer) = await OpenAsync(QueueFixture.Riley);
        var (security, _) = await OpenAsync(QueueFixture.Sasha);
        var rendersBefore = plainRenderer.Renders;

        await Feed.PublishAsync(new ChangeNotification(hidden.Id, activity));

        Assert.Equal((0, rendersBefore), (plain.Reloads, plainRenderer.Renders));
        Assert.Equal(1, security.Reloads);
    }

    [Fact]
    public async Task A_plain_reviewers_page_still_hears_of_changes_it_may_see_and_of_one_it_shows_that_rose_to_tier_4()
    {
        var visible = await fixture.AddAsync(new(QueueFixture.NewRepository()) { Tier = RiskTier.High });
        var risen = await fixture.AddAsync(new(QueueFixture.NewRepository()) { Tier = RiskTier.Critical });
        var (plain, _) = await OpenAsync(QueueFixture.Riley);

        await Feed.PublishAsync(new ChangeNotification(visible.Id, ChangeActivity.Arrived));
        Assert.Equal(1, plain.Reloads);

        // Shown while it was tier 3; its rise to tier 4 must take it off the page.
        plain.OnPage = risen.Id;
        await Feed.PublishAsync(new ChangeNotification(risen.Id, ChangeActivity.Revised));
        Assert.Equal(2, plain.Reloads);
    }

    [Fact]
    public async Task The_audience_a_notification_carries_decides_without_the_database()
    {
        // No such change in the database: only the audience the notification carries can let the page hear of it.
        const long unknown = long.MaxValue;
        var (plain, _) = await OpenAsync(QueueFixture.Riley);
        var (security, _) = await OpenAsync(QueueFixture.Sasha);

        await Feed.PublishAsync(new ChangeNotification(unknown, ChangeActivity.Arrived, new ChangeAudience(RiskTier.High, "ci")));
        await Feed.PublishAsync(new ChangeNotification(unknown, ChangeActivity.Decided, new ChangeAudience(RiskTier.Critical, "ci")));

        Assert.Equal((1, 2), (plain.Reloads, security.Reloads));
    }

    [Fact]
    public void The_queue_pages_name_their_viewer_and_the_changes_they_show()
    {
        // Without these the queue pages would hear of every change, tier 4 included, whoever looks at them.
        const System.Reflection.BindingFlags member = System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic;
        Assert.Equal(typeof(QueuePage), typeof(QueuePage).GetProperty("Viewer", member)?.DeclaringType);
        Assert.Equal(typeof(QueuePage), typeof(QueuePage).GetMethod("Shows", member)?.DeclaringType);
    }

    public async ValueTask DisposeAsync() => await _services.DisposeAsync();
}
