namespace ReviewPortal.Web.Infrastructure;

/// <summary>
/// Wakes a background worker as soon as there is work, instead of at its next poll. Any number of signals while the
/// worker is busy collapse into one wake-up: the worker takes everything pending when it runs.
/// </summary>
public class WorkSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        if (_signal.CurrentCount == 0)
        {
            try
            {
                _signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Signalled twice at the same moment; one wake-up is enough.
            }
        }
    }

    /// <summary>True when signalled, false when <paramref name="timeout"/> passed first (time for the fallback poll).</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);
}
