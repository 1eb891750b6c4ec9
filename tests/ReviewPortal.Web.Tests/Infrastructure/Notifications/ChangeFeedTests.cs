using Microsoft.Extensions.Logging.Abstractions;
using ReviewPortal.Testing;
using ReviewPortal.Web.Infrastructure.Notifications;

namespace ReviewPortal.Web.Tests.Infrastructure.Notifications;

public sealed class ChangeFeedTests
{
    private readonly ChangeFeed _feed = new(NullLogger<ChangeFeed>.Instance);

    [Fact]
    public async Task Every_subscriber_hears_every_notification_until_it_unsubscribes()
    {
        var first = new List<ChangeNotification>();
        var second = new List<ChangeNotification>();
        var one = _feed.Subscribe(n => { lock (first) { first.Add(n); } return Task.CompletedTask; });
        using var two = _feed.Subscribe(n => { lock (second) { second.Add(n); } return Task.CompletedTask; });

        await _feed.PublishAsync(new ChangeNotification(1, ChangeActivity.Arrived));
        one.Dispose();
        await _feed.PublishAsync(new ChangeNotification(2, ChangeActivity.Decided));

        Assert.Equal([new ChangeNotification(1, ChangeActivity.Arrived)], first);
        Assert.Equal([new ChangeNotification(1, ChangeActivity.Arrived), new ChangeNotification(2, ChangeActivity.Decided)], second);
        Assert.Equal(1, _feed.SubscriberCount);
    }

    [Fact]
    public async Task A_failing_subscriber_keeps_its_subscription_and_never_stops_the_others()
    {
        var heard = 0;
        using var failing = _feed.Subscribe(_ => throw new InvalidOperationException("broken page"));
        using var fine = _feed.Subscribe(_ => { Interlocked.Increment(ref heard); return Task.CompletedTask; });

        await _feed.PublishAsync(new ChangeNotification(1, ChangeActivity.Arrived));
        await _feed.PublishAsync(new ChangeNotification(2, ChangeActivity.Arrived));

        Assert.Equal(2, heard);
        Assert.Equal(2, _feed.SubscriberCount);
    }

    [Fact]
    public async Task A_slow_subscriber_holds_up_neither_the_publisher_nor_the_other_subscribers()
    {
        var slow = new TaskCompletionSource();
        var fast = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var blocking = _feed.Subscribe(_ =>
        {
            // Even a handler that blocks its thread (it should not) only costs a thread-pool thread.
            slow.Task.Wait(Eventually.DefaultLimit);
            return Task.CompletedTask;
        });
        using var quick = _feed.Subscribe(_ => { fast.TrySetResult(); return Task.CompletedTask; });

        _feed.Publish(new ChangeNotification(1, ChangeActivity.Arrived));

        await fast.Task.WaitAsync(Eventually.DefaultLimit);
        slow.SetResult();
    }
}
