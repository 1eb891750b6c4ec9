using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using ReviewPortal.Web.Features.Queue;
using ReviewPortal.Domain.People;

namespace ReviewPortal.Web.Tests.Features.Queue;

/// <summary>The queue page on the real query and database, with its loads held back where a test needs a race.</summary>
[Trait("Category", "Component")]
public sealed class QueuePageTests : QueueComponentTest, IClassFixture<QueueFixture>
{
    private readonly HeldQueueRows rows;

    public QueuePageTests(QueueFixture fixture)
        : base(fixture)
    {
        rows = new HeldQueueRows(fixture.Services.GetRequiredService<QueueQuery>());
        Services.AddSingleton<IQueueRows>(rows);
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    private IRenderedComponent<QueuePage> Open(string address)
    {
        Navigate(address);
        var view = new Uri(new Uri("http://localhost"), address).AbsolutePath["/queue/".Length..];
        return Render<QueuePage>(p => p.Add(q => q.ViewName, view));
    }

    // The query string's values reach the page from the address; the router renders the page again on every
    // navigation, which a test does itself after navigating.
    private void Navigate(string address) => Services.GetRequiredService<NavigationManager>().NavigateTo(address);

    private static string[] Titles(IRenderedComponent<QueuePage> page) =>
        page.FindAll("[data-testid=queue-grid] [data-testid=change-link]").Select(a => a.TextContent.Trim()).ToArray();

    [Fact]
    public async Task A_load_overtaken_by_an_address_change_never_replaces_the_newer_rows()
    {
        var tag = Guid.NewGuid().ToString("N")[..10];
        await Fixture.AddAsync(new(QueueFixture.NewRepository()) { Title = $"Liveness probe {tag}-liveness" });
        await Fixture.AddAsync(new(QueueFixture.NewRepository()) { Title = $"Money rounding {tag}-money" });
        await Fixture.AddAsync(new(QueueFixture.NewRepository()) { Title = $"Money format {tag}-money" });
        SignInAs(QueueFixture.Sasha);
        var firstLoad = rows.HoldNext();

        // The grid's first load starts with the address as it was, and is held back.
        var page = Open($"/queue/all?q={tag}-liveness");
        var first = await firstLoad.Started.WaitAsync(Patience);
        Assert.Equal($"{tag}-liveness", first.Search);

        // The address changes while it is held: the load for the new address runs and shows.
        Navigate($"/queue/all?q={tag}-money");
        page.Render(p => p.Add(q => q.ViewName, "all"));
        page.WaitForAssertion(() => Assert.Equal([$"Money format {tag}-money", $"Money rounding {tag}-money"], Titles(page).Order(StringComparer.Ordinal)), Patience);

        // The first load now completes, after the second, with its own (older) rows.
        firstLoad.Release();
        var held = await firstLoad.Finished.WaitAsync(Patience);
        Assert.Equal([$"Liveness probe {tag}-liveness"], held.Rows.Select(r => r.Title));
        page.WaitForAssertion(() => Assert.Equal("2 changes", page.Find("[data-testid=queue-total]").TextContent.Trim()), Patience);
        Assert.Equal([$"Money format {tag}-money", $"Money rounding {tag}-money"], Titles(page).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_first_load_uses_the_filter_of_the_address()
    {
        var tag = Guid.NewGuid().ToString("N")[..10];
        await Fixture.AddAsync(new(QueueFixture.NewRepository()) { Title = $"Money rounding {tag}" });
        await Fixture.AddAsync(new(QueueFixture.NewRepository()) { Title = $"Liveness probe {tag}" });
        SignInAs(QueueFixture.Riley);

        var page = Open($"/queue/all?q=money%20rounding%20{tag}");

        page.WaitForAssertion(() => Assert.Equal([$"Money rounding {tag}"], Titles(page)), Patience);
        Assert.All(rows.Requested, f => Assert.Equal($"money rounding {tag}", f.Search));
        Assert.Equal("1 change", page.Find("[data-testid=queue-total]").TextContent.Trim());
    }

    [Fact]
    public void An_empty_result_says_so_and_a_bad_address_is_shown()
    {
        SignInAs(QueueFixture.Riley);

        var page = Open($"/queue/all?q=nothing-{Guid.NewGuid():N}&tier=9");

        page.WaitForAssertion(() => Assert.Contains("No change matches these filters.", page.Find("[data-testid=queue-empty]").TextContent, StringComparison.Ordinal), Patience);
        Assert.Contains("tier must be a whole number from 1 to 4.", page.Find("[data-testid=filter-errors]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Claiming_from_the_grid_says_so_and_the_row_shows_the_new_assignee()
    {
        var tag = Guid.NewGuid().ToString("N")[..10];
        var change = await Fixture.AddAsync(new(QueueFixture.NewRepository()) { Title = $"Claim me {tag}" });
        SignInAs(QueueFixture.Dana);
        var page = Open($"/queue/mine?q={tag}");
        page.WaitForAssertion(() => Assert.Equal([$"Claim me {tag}"], Titles(page)), Patience);

        // Found and clicked in one dispatch: the grid may render again (its facets, a live notice) between the two.
        await page.InvokeAsync(() => page.Find("[data-testid=claim-button]").Click());

        page.WaitForAssertion(() => Assert.Equal("You have this change.", page.Find("[data-testid=claim-message]").TextContent.Trim()), Patience);
        page.WaitForAssertion(() => Assert.Equal("You", page.Find("[data-testid=assignee]").TextContent), Patience);
        Assert.Equal(Fixture.IdOf(QueueFixture.Dana), (await Fixture.ReadAsync(change.Id)).AssignedToId);
    }

    /// <summary>
    /// The real query, with the next load held back on request until the test releases it; every other load runs at
    /// once. It records the filter each load was asked for.
    /// </summary>
    private sealed class HeldQueueRows(QueueQuery query) : IQueueRows
    {
        private readonly List<QueueFilter> requested = [];
        private Hold? next;

        public IReadOnlyList<QueueFilter> Requested
        {
            get
            {
                lock (requested)
                {
                    return requested.ToList();
                }
            }
        }

        public Hold HoldNext() => next = new Hold();

        public async Task<QueueResult> LoadAsync(QueueFilter filter, ChangeViewer viewer, CancellationToken cancellationToken = default)
        {
            lock (requested)
            {
                requested.Add(filter);
            }

            var hold = Interlocked.Exchange(ref next, null);
            if (hold is null)
            {
                return await query.LoadAsync(filter, viewer, cancellationToken);
            }

            hold.Start(filter);
            // Held past any cancellation: this load is to finish late, as a slow query would.
            await hold.Released;
            var result = await query.LoadAsync(filter, viewer, CancellationToken.None);
            hold.Finish(result);
            return result;
        }
    }

    private sealed class Hold
    {
        private readonly TaskCompletionSource<QueueFilter> started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource<QueueResult> finished = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<QueueFilter> Started => started.Task;

        public Task Released => released.Task;

        public Task<QueueResult> Finished => finished.Task;

        public void Start(QueueFilter filter) => started.TrySetResult(filter);

        public void Release() => released.TrySetResult();

        public void Finish(QueueResult result) => finished.TrySetResult(result);
    }
}
