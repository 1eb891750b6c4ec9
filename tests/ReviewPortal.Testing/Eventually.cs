using Microsoft.Extensions.DependencyInjection;
using ReviewPortal.Web.Data;

namespace ReviewPortal.Testing;

/// <summary>
/// Waits for a condition that background work makes true, polling with a growing interval. The limit only bounds a
/// failing test: it is generous, so that a slow or loaded machine makes a passing test slower, never a failing one.
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultLimit = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan FirstInterval = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan LongestInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>Polls <paramref name="probe"/> until it returns something; <paramref name="what"/> names what was awaited in the failure.</summary>
    public static async Task<T> FoundAsync<T>(Func<Task<T?>> probe, string what, TimeSpan? limit = null)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(probe);
        T? found = null;
        await TrueAsync(async () => (found = await probe()) is not null, what, limit);
        return found!;
    }

    /// <summary>Polls <paramref name="query"/>, on a fresh database context each time, until it finds something.</summary>
    public static Task<T> FoundAsync<T>(IServiceProvider services, Func<PortalDbContext, Task<T?>> query, string what, TimeSpan? limit = null)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(query);
        return FoundAsync(
            async () =>
            {
                await using var scope = services.CreateAsyncScope();
                return await query(scope.ServiceProvider.GetRequiredService<PortalDbContext>());
            },
            what,
            limit);
    }

    /// <summary>Polls <paramref name="probe"/> until its value satisfies <paramref name="done"/>, and returns that value.</summary>
    public static async Task<T> ValueAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what, TimeSpan? limit = null)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(done);
        var value = default(T)!;
        await TrueAsync(async () => done(value = await probe()), what, limit);
        return value;
    }

    public static Task TrueAsync(Func<bool> condition, string what, TimeSpan? limit = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return TrueAsync(() => Task.FromResult(condition()), what, limit);
    }

    public static async Task TrueAsync(Func<Task<bool>> condition, string what, TimeSpan? limit = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = DateTime.UtcNow + (limit ?? DefaultLimit);
        var interval = FirstInterval;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited {(limit ?? DefaultLimit).TotalSeconds:0} s for {what}; it never happened.");
            }

            await Task.Delay(interval);
            interval = TimeSpan.FromTicks(Math.Min(interval.Ticks * 2, LongestInterval.Ticks));
        }
    }
}
