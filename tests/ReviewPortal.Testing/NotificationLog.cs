using System.Diagnostics;

namespace ReviewPortal.Testing;

/// <summary>One item a test saw arrive, with the <see cref="Stopwatch"/> timestamp of its arrival.</summary>
public sealed record Arrival<T>(T Item, long Timestamp)
{
    /// <summary>Time from <paramref name="startTimestamp"/> (a <see cref="Stopwatch.GetTimestamp"/>) to this arrival.</summary>
    public TimeSpan Since(long startTimestamp) => Stopwatch.GetElapsedTime(startTimestamp, Timestamp);
}

/// <summary>What arrived, in order, and a way to wait (bounded) for the first arrival that matches.</summary>
public sealed class NotificationLog<T>
{
    private readonly Lock _lock = new();
    private readonly List<Arrival<T>> _arrivals = [];
    private readonly List<(Func<T, bool> Match, TaskCompletionSource<Arrival<T>> Found)> _waiters = [];

    public IReadOnlyList<Arrival<T>> Arrivals
    {
        get
        {
            lock (_lock)
            {
                return _arrivals.ToList();
            }
        }
    }

    public void Add(T item)
    {
        var arrival = new Arrival<T>(item, Stopwatch.GetTimestamp());
        List<TaskCompletionSource<Arrival<T>>> found = [];
        lock (_lock)
        {
            _arrivals.Add(arrival);
            foreach (var waiter in _waiters.Where(w => w.Match(item)).ToList())
            {
                _waiters.Remove(waiter);
                found.Add(waiter.Found);
            }
        }

        foreach (var source in found)
        {
            source.TrySetResult(arrival);
        }
    }

    /// <summary>The first arrival (already there or still to come) that matches; throws <see cref="TimeoutException"/> after <paramref name="timeout"/>.</summary>
    public async Task<Arrival<T>> WaitForAsync(Func<T, bool> match, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(match);
        var source = new TaskCompletionSource<Arrival<T>>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (_arrivals.FirstOrDefault(a => match(a.Item)) is { } earlier)
            {
                return earlier;
            }

            _waiters.Add((match, source));
        }

        try
        {
            return await source.Task.WaitAsync(timeout);
        }
        catch (TimeoutException timeoutException)
        {
            lock (_lock)
            {
                _waiters.RemoveAll(w => w.Found == source);
            }

            throw new TimeoutException($"Nothing matching arrived within {timeout.TotalMilliseconds} ms; arrived: {string.Join(", ", Arrivals.Select(a => a.Item))}.", timeoutException);
        }
    }
}
