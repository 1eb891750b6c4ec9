using ReviewPortal.Web.Infrastructure.Notifications;

namespace ReviewPortal.Testing;

/// <summary>Subscribes to one portal instance's <see cref="ChangeFeed"/> and records what reaches it, as a page would see it.</summary>
public sealed class ChangeFeedRecorder : IDisposable
{
    private readonly IDisposable _subscription;

    public ChangeFeedRecorder(ChangeFeed feed)
    {
        ArgumentNullException.ThrowIfNull(feed);
        _subscription = feed.Subscribe(notification =>
        {
            Log.Add(notification);
            return Task.CompletedTask;
        });
    }

    public NotificationLog<ChangeNotification> Log { get; } = new();

    public Task<Arrival<ChangeNotification>> WaitForAsync(long changeId, ChangeActivity activity, TimeSpan timeout) =>
        Log.WaitForAsync(n => n.ChangeId == changeId && n.Activity == activity, timeout);

    public void Dispose() => _subscription.Dispose();
}
