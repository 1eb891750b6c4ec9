using System.Diagnostics;

namespace ReviewPortal.Benchmarks;

public sealed record LoadResult(int Sent, int Completed, int Non2xx, int Errors, double ElapsedSeconds, IReadOnlyList<double> LatenciesMs)
{
    public double RateRps => Completed / ElapsedSeconds;

    public double Percentile(double p)
    {
        if (LatenciesMs.Count == 0)
        {
            return double.NaN;
        }

        var sorted = LatenciesMs.Order().ToList();
        var rank = (int)Math.Ceiling(p / 100.0 * sorted.Count) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
    }
}

/// <summary>
/// An open-loop load generator: requests start on a fixed schedule whatever the server does, and each latency is
/// measured from the request's scheduled start, so a stalled server shows up as latency (no coordinated omission).
/// </summary>
public static class OpenLoopLoad
{
    public static async Task<LoadResult> RunAsync(HttpClient client, int ratePerSecond, TimeSpan duration, Func<int, HttpRequestMessage> request)
    {
        var total = (int)(ratePerSecond * duration.TotalSeconds);
        var latencies = new double[total];
        var statuses = new int[total];
        var tasks = new Task[total];
        var clock = Stopwatch.StartNew();
        var interval = 1000.0 / ratePerSecond;
        for (var i = 0; i < total; i++)
        {
            var scheduled = i * interval;
            var wait = scheduled - clock.Elapsed.TotalMilliseconds;
            if (wait > 1)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(wait));
            }

            var index = i;
            tasks[i] = Task.Run(async () =>
            {
                try
                {
                    using var message = request(index);
                    using var response = await client.SendAsync(message);
                    statuses[index] = (int)response.StatusCode;
                }
                catch (HttpRequestException)
                {
                    statuses[index] = -1;
                }
                catch (TaskCanceledException)
                {
                    statuses[index] = -1;
                }

                latencies[index] = clock.Elapsed.TotalMilliseconds - scheduled;
            });
        }

        await Task.WhenAll(tasks);
        var elapsed = clock.Elapsed.TotalSeconds;
        return new LoadResult(
            total,
            statuses.Count(s => s > 0),
            statuses.Count(s => s > 0 && (s < 200 || s > 299)),
            statuses.Count(s => s <= 0),
            elapsed,
            latencies);
    }
}
