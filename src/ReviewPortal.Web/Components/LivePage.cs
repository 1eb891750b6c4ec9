using Microsoft.AspNetCore.Components;
using ReviewPortal.Web.Infrastructure.Notifications;

namespace ReviewPortal.Web.Components;

/// <summary>
/// An interactive page that reloads itself when a change it shows arrives, is claimed or is decided, on this or any
/// other portal instance (<see cref="ChangeFeed"/>). Notifications that arrive while a reload runs are coalesced into
/// one more reload, so a burst never queues a reload per notification.
/// </summary>
public abstract class LivePage : InteractivePage, IDisposable
{
    private IDisposable? _subscription;
    private int _pending;

    [Inject]
    private ChangeFeed Feed { get; set; } = default!;

    /// <summary>Whether this page shows anything <paramref name="notification"/> is about.</summary>
    protected abstract bool IsRelevant(ChangeNotification notification);

    /// <summary>Reloads what the page shows; called on the circuit's synchronization context.</summary>
    protected abstract Task ReloadForNotificationAsync();

    protected override void OnInitialized()
    {
        base.OnInitialized();
        _subscription = Feed.Subscribe(OnNotificationAsync);
    }

    private async Task OnNotificationAsync(ChangeNotification notification)
    {
        if (!IsRelevant(notification) || Interlocked.Increment(ref _pending) > 1)
        {
            return;
        }

        await InvokeAsync(async () =>
        {
            try
            {
                do
                {
                    Interlocked.Exchange(ref _pending, 1);
                    await ReloadForNotificationAsync();
                    StateHasChanged();
                }
                while (Interlocked.Decrement(ref _pending) > 0);
            }
            catch
            {
                // A failed reload must not leave the page deaf to later notifications.
                Interlocked.Exchange(ref _pending, 0);
                throw;
            }
        });
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
            _subscription?.Dispose();
        }
    }
}
