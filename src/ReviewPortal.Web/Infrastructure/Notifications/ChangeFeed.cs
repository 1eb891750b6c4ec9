using System.Collections.Concurrent;

namespace ReviewPortal.Web.Infrastructure.Notifications;

/// <summary>What happened to a change, as far as open pages care.</summary>
public enum ChangeActivity
{
    /// <summary>A new change arrived.</summary>
    Arrived,

    /// <summary>A new revision was pushed, or the change was re-scored.</summary>
    Revised,

    /// <summary>Claimed, released or assigned.</summary>
    Assigned,

    /// <summary>A decision was recorded (approve, reject, request changes, automatic approval).</summary>
    Decided,

    /// <summary>The background worker stored diffs of the change's files.</summary>
    DiffsReady,

    /// <summary>Anything else shown on its pages (SCM state, provenance).</summary>
    Updated,
}

public sealed record ChangeNotification(long ChangeId, ChangeActivity Activity);

/// <summary>
/// In-process fan-out of change notifications to the open circuits of this instance. Notifications reach it from
/// PostgreSQL (LISTEN), so every instance on the database hears every change, including its own.
/// </summary>
public sealed class ChangeFeed(ILogger<ChangeFeed> logger)
{
    private readonly ConcurrentDictionary<Guid, Func<ChangeNotification, Task>> _subscribers = new();

    public int SubscriberCount => _subscribers.Count;

    /// <summary>Calls <paramref name="handler"/> for every notification until the returned handle is disposed.</summary>
    public IDisposable Subscribe(Func<ChangeNotification, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var id = Guid.NewGuid();
        _subscribers[id] = handler;
        return new Subscription(this, id);
    }

    /// <summary>Hands <paramref name="notification"/> to every subscriber; one failing subscriber never stops the others.</summary>
    public void Publish(ChangeNotification notification)
    {
        foreach (var (id, handler) in _subscribers)
        {
            _ = InvokeSafelyAsync(id, handler, notification);
        }
    }

    private async Task InvokeSafelyAsync(Guid id, Func<ChangeNotification, Task> handler, ChangeNotification notification)
    {
        try
        {
            await handler(notification);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "A page failed to handle {Activity} of change {ChangeId}; subscriber {Subscriber} keeps its subscription.", notification.Activity, notification.ChangeId, id);
        }
    }

    private sealed class Subscription(ChangeFeed feed, Guid id) : IDisposable
    {
        public void Dispose() => feed._subscribers.TryRemove(id, out _);
    }
}
