namespace ReviewPortal.Web.Components;

/// <summary>
/// Runs a component's loads so that a load that was overtaken never shows: each new load cancels the one before it,
/// and a caller whose load was overtaken (finished late, or was cancelled) gets the newest load's result instead of
/// its own. A grid that writes whatever its data callback returns, in the order the callbacks finish, then always ends
/// on the data of the newest request, however the loads interleave.
/// </summary>
/// <remarks>
/// Called on the component's synchronization context (one call at a time), as Blazor runs lifecycle methods and event
/// handlers; no locking is needed there.
/// </remarks>
public sealed class LatestLoad<TResult> : IDisposable
{
    private CancellationTokenSource? _current;
    private Task<TResult>? _newest;
    private long _version;

    /// <summary>How many loads have been started; the newest is the one whose result every caller gets.</summary>
    public long Version => _version;

    public async Task<TResult> RunAsync(Func<CancellationToken, Task<TResult>> load, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(load);
        var previous = _current;
        _current = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        previous?.Cancel();
        previous?.Dispose();

        var mine = ++_version;
        var task = load(_current.Token);
        _newest = task;
        while (true)
        {
            try
            {
                var result = await task;
                if (mine == _version)
                {
                    return result;
                }
            }
            catch (OperationCanceledException) when (mine != _version)
            {
                // Cancelled because a newer load started: that one answers for this caller too.
            }

            mine = _version;
            task = _newest!;
        }
    }

    public void Dispose()
    {
        _current?.Cancel();
        _current?.Dispose();
        _current = null;
    }
}
