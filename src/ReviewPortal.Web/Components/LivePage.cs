using Microsoft.AspNetCore.Components;
using ReviewPortal.Web.Infrastructure.Notifications;
using ReviewPortal.Web.Features.Shared;
using ReviewPortal.Domain.People;

namespace ReviewPortal.Web.Components;

/// <summary>
/// An interactive page that reloads itself when a change it shows arrives, is claimed or is decided, on this or any
/// other portal instance (<see cref="ChangeFeed"/>); the circuit's own SignalR connection carries the re-render to the
/// browser. Only the interactive render subscribes (a prerender is thrown away at once); disposing the page
/// unsubscribes. A burst of notifications costs at most the reload in flight plus one more, and a reload that fails is
/// logged and never stops later notifications from reloading the page. A page that names its <see cref="Viewer"/> hears
/// only of changes that viewer may see (<see cref="ChangeViewer.CanView"/>, the rule queries and checks use, decided
/// from the audience the notification carries): a tier-4 change arriving or moving never redraws a plain reviewer's page.
/// </summary>
public abstract class LivePage : InteractivePage, IDisposable
{
    private IDisposable? _subscription;

    // Notifications not yet covered by a reload: 0 = idle; above 0 = a reload loop is running and will run again.
    private int _pending;
    private volatile bool _disposed;

    [Inject]
    private ChangeFeed Feed { get; set; } = default!;

    [Inject]
    private ILogger<LivePage> LiveLogger { get; set; } = default!;

    [Inject]
    private ChangeAccess Access { get; set; } = default!;

    /// <summary>
    /// Who the page shows changes to, once known; null: the page hears of every change <see cref="IsRelevant"/> lets
    /// through. Read off the circuit's synchronization context, as <see cref="IsRelevant"/>.
    /// </summary>
    protected virtual ChangeViewer? Viewer => null;

    /// <summary>
    /// Whether the page shows change <paramref name="changeId"/> now: it hears of it even when its viewer may no longer
    /// see it (a tier rise to 4), so that it stops showing it.
    /// </summary>
    protected virtual bool Shows(long changeId) => false;

    /// <summary>
    /// Whether this page shows anything <paramref name="notification"/> is about. Not asked for
    /// <see cref="ChangeActivity.Resync"/>, which every page reloads for. Called off the circuit's synchronization
    /// context: read only fields that the page sets before it renders interactively (route parameters, ids shown).
    /// </summary>
    protected abstract bool IsRelevant(ChangeNotification notification);

    /// <summary>Reloads what the page shows; called on the circuit's synchronization context, followed by a render.</summary>
    protected abstract Task ReloadForNotificationAsync();

    protected override void OnInitialized()
    {
        base.OnInitialized();
        if (RendererInfo.IsInteractive)
        {
            _subscription = Feed.Subscribe(OnNotificationAsync);
        }
    }

    private async Task OnNotificationAsync(ChangeNotification notification)
    {
        if (_disposed || (notification.Activity != ChangeActivity.Resync && !(IsRelevant(notification) && await MayHearOfAsync(notification))))
        {
            return;
        }

        if (Interlocked.Increment(ref _pending) > 1)
        {
            // A reload is running: it runs once more when it ends, and that covers this notification.
            return;
        }

        do
        {
            // Whatever arrived up to here is covered by the reload that starts now.
            Interlocked.Exchange(ref _pending, 1);
            await ReloadSafelyAsync(notification);
        }
        while (Interlocked.Decrement(ref _pending) > 0 && !_disposed);
    }

    private async Task<bool> MayHearOfAsync(ChangeNotification notification)
    {
        if (Viewer is not { } viewer || Shows(notification.ChangeId))
        {
            return true;
        }

        // A notification names no repository; a viewer no grant limits (every person) is judged on the rest of the rule.
        if (notification.Audience is { } audience && viewer.Repositories is null)
        {
            return viewer.CanView(audience.Tier, audience.SubmittedBy, repository: string.Empty);
        }

        // Only a writer that bypasses the change tracker (raw SQL) leaves the audience out: the database answers then.
        try
        {
            return await Access.CanViewAsync(viewer, notification.ChangeId);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Unsure whether the viewer may see it: stay as is; the next notification or reload catches up.
            LiveLogger.LogWarning(ex, "{Page} could not check whether its viewer may see change {ChangeId}.", GetType().Name, notification.ChangeId);
            return false;
        }
    }

    private async Task ReloadSafelyAsync(ChangeNotification notification)
    {
        try
        {
            await InvokeAsync(async () =>
            {
                if (_disposed)
                {
                    return;
                }

                await ReloadForNotificationAsync();
                StateHasChanged();
            });
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The page keeps what it showed; the next notification tries again.
            LiveLogger.LogWarning(ex, "{Page} could not reload for {Activity} of change {ChangeId}.", GetType().Name, notification.Activity, notification.ChangeId);
        }
    }

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _disposed = true;
            _subscription?.Dispose();
            _subscription = null;
        }
    }
}
