using System.Diagnostics;

namespace ReviewPortal.Domain.Tests.Diff;

public static class Timing
{
    /// <summary>
    /// Runs <paramref name="work"/> several times and reports its fastest run: other builds and tests share this
    /// machine's two cores, and the fastest run is the one they disturbed least.
    /// </summary>
    public static (T Result, long Milliseconds) FastestOf<T>(int runs, Func<T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var best = long.MaxValue;
        var result = default(T)!;
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            result = work();
            best = Math.Min(best, watch.ElapsedMilliseconds);
        }

        return (result, best);
    }
}
