using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ReviewPortal.Testing;
using ReviewPortal.Web.Components;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Features.Shared;
using ReviewPortal.Web.Infrastructure.Notifications;

// The test renderer derives from Renderer (see InteractiveTestRenderer).
#pragma warning disable BL0006

namespace ReviewPortal.Web.Tests.Infrastructure.Notifications;

/// <summary>A live page watching change 7, whose reloads a test can hold up or make fail.</summary>
public sealed class ProbePage : LivePage
{
    public const long WatchedChange = 7;

    private int _reloads;

    public int Reloads => Volatile.Read(ref _reloads);

    public int RenderedReloads { get; private set; }

    /// <summary>While set, each reload waits for it.</summary>
    public TaskCompletionSource? Gate { get; set; }

    public bool FailNextReload { get; set; }

    protected override bool IsRelevant(ChangeNotification notification) => notification.ChangeId == WatchedChange;

    protected override async Task ReloadForNotificationAsync()
    {
        Interlocked.Increment(ref _reloads);
        if (Gate is { } gate)
        {
            await gate.Task;
        }

        if (FailNextReload)
        {
            FailNextReload = false;
            throw new InvalidOperationException("The database is away.");
        }
    }

    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        RenderedReloads = Reloads;
        builder.AddContent(0, $"reloads: {Reloads}");
    }
}

public sealed class LivePageTests : IAsyncDisposable
{
    private static readonly ChangeNotification Watched = new(ProbePage.WatchedChange, ChangeActivity.Decided);

    private readonly ServiceProvider _services;
    private readonly InteractiveTestRenderer _renderer;

    public LivePageTests()
    {
        // The probe names no viewer, so its ChangeAccess is never asked and its database never reached.
        _services = new ServiceCollection().AddLogging().AddSingleton<ChangeFeed>().AddSingleton(TimeProvider.System)
            .AddDbContextFactory<PortalDbContext>(options => options.UseNpgsql("Host=unused")).AddSingleton<ChangeAccess>().BuildServiceProvider();
        _renderer = new InteractiveTestRenderer(_services, _services.GetRequiredService<ILoggerFactory>());
    }

    private ChangeFeed Feed => _services.GetRequiredService<ChangeFeed>();

    [Fact]
    public async Task An_open_page_subscribes_and_a_closed_one_leaves_no_subscription_behind()
    {
        var pages = new List<int>();
        for (var i = 0; i < 25; i++)
        {
            pages.Add((await _renderer.RenderAsync<ProbePage>()).Id);
        }

        Assert.Equal(25, Feed.SubscriberCount);
        foreach (var id in pages)
        {
            await _renderer.RemoveAsync(id);
        }

        Assert.Equal(0, Feed.SubscriberCount);
    }

    [Fact]
    public async Task A_prerendered_page_does_not_subscribe()
    {
        await using var html = new HtmlRenderer(_services, _services.GetRequiredService<ILoggerFactory>());
        await html.Dispatcher.InvokeAsync(() => html.RenderComponentAsync<ProbePage>());

        // The prerender is thrown away as soon as the circuit renders the page again; it must not hear anything.
        Assert.Equal(0, Feed.SubscriberCount);
    }

    [Fact]
    public async Task A_relevant_notification_reloads_and_renders_the_page_and_others_are_ignored()
    {
        var (page, _) = await _renderer.RenderAsync<ProbePage>();

        await Feed.PublishAsync(new ChangeNotification(8, ChangeActivity.Decided));
        Assert.Equal(0, page.Reloads);

        await Feed.PublishAsync(Watched);
        Assert.Equal(1, page.Reloads);
        Assert.Equal(1, page.RenderedReloads);
    }

    [Fact]
    public async Task A_resync_reloads_every_page_whatever_it_shows()
    {
        var (page, _) = await _renderer.RenderAsync<ProbePage>();

        await Feed.PublishAsync(ChangeNotification.Resync);

        Assert.Equal(1, page.Reloads);
    }

    [Fact]
    public async Task A_burst_during_a_reload_costs_one_more_reload_not_one_per_notification()
    {
        var (page, _) = await _renderer.RenderAsync<ProbePage>();
        page.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = Feed.PublishAsync(Watched);
        await WaitUntilAsync(() => page.Reloads == 1);

        for (var i = 0; i < 20; i++)
        {
            await Feed.PublishAsync(Watched);
        }

        page.Gate.SetResult();
        await first;

        Assert.Equal(2, page.Reloads);
        Assert.Equal(2, page.RenderedReloads);
    }

    [Fact]
    public async Task A_failed_reload_neither_ends_the_circuit_nor_leaves_the_page_deaf()
    {
        var (page, _) = await _renderer.RenderAsync<ProbePage>();
        page.FailNextReload = true;

        await Feed.PublishAsync(Watched);
        await Feed.PublishAsync(Watched);

        Assert.Equal(2, page.Reloads);
        Assert.Equal(2, page.RenderedReloads);
        Assert.Empty(_renderer.Errors);
    }

    [Fact]
    public async Task Notifications_arriving_while_a_failing_reload_runs_are_still_reloaded_for()
    {
        var (page, _) = await _renderer.RenderAsync<ProbePage>();
        page.FailNextReload = true;
        page.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = Feed.PublishAsync(Watched);
        await WaitUntilAsync(() => page.Reloads == 1);
        await Feed.PublishAsync(Watched);

        page.Gate.SetResult();
        await first;

        Assert.Equal(2, page.Reloads);
        Assert.Equal(2, page.RenderedReloads);
    }

    private static Task WaitUntilAsync(Func<bool> condition) => Eventually.TrueAsync(condition, "the page to reload");

    public async ValueTask DisposeAsync()
    {
        await _renderer.DisposeAsync();
        await _services.DisposeAsync();
    }
}
