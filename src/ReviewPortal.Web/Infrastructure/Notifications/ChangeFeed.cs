using System.Collections.Concurrent;
using ReviewPortal.Domain.Risk;

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

    /// <summary>
    /// Not about one change: this instance may have missed notifications (its LISTEN connection was lost and is back),
    /// so every live page reloads once. <see cref="ChangeNotification.ChangeId"/> is 0.
    /// </summary>
    Resync,
}

/// <summary>
/// What the visibility rule (<see cref="Domain.People.ChangeViewer.CanView"/>) needs of a change, carried with its
/// notifications: pages decide in memory who hears of it, without a query per notification and open page.
/// </summary>
public sealed record ChangeAudience(RiskTier Tier, string SubmittedBy);

/// <summary>
/// <paramref name="Audience"/> is known when the save that caused it tracked the change (every write through EF Core's
/// change tracker that has it); null from writers that bypass the tracker.
/// </summary>
public sealed record ChangeNotification(long ChangeId, ChangeActivity Activity, ChangeAudience? Audience = null)
{
    /// <summary>"Reload everything": published locally after the listener reconnects.</summary>
    public static ChangeNotification Resync { get; } = new(0, ChangeActivity.Resync);
}

/// <summary>
/// In-process fan-out of change notifications to the open circuits of this instance. Notifications reach it from
/// PostgreSQL (LISTEN, see <see cref="ChangeListener"/>), so every instance on the database hears every change,
/// including its own.
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

    /// <summary>
    /// Hands <paramref name="notification"/> to every subscriber and returns at once: each handler runs on the thread
    /// pool, so a slow page never holds up the listener or the other pages, and one failing handler never stops the others.
    /// </summary>
    public void Publish(ChangeNotification notification) => _ = PublishAsync(notification);

    /// <summary>As <see cref="Publish"/>, but completes when every handler has (tests wait on it).</summary>
    public Task PublishAsync(ChangeNotification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var handlers = _subscribers.ToArray();
        if (handlers.Length == 0)
        {
            return Task.CompletedTask;
        }

        var running = new Task[handlers.Length];
        for (var i = 0; i < handlers.Length; i++)
        {
            var (id, handler) = handlers[i];
            running[i] = Task.Run(() => InvokeSafelyAsync(id, handler, notification));
        }

        return Task.WhenAll(running);
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
