using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using ReviewPortal.Testing;
using ReviewPortal.Web.Infrastructure.Notifications;

namespace ReviewPortal.Web.Tests.Infrastructure.Notifications;

public sealed class ChangeListenerTests
{
    [Fact]
    public void Reconnects_back_off_from_a_quarter_second_to_at_most_fifteen_seconds()
    {
        var delays = Enumerable.Range(1, 40).Select(ChangeListener.Backoff).ToList();

        Assert.Equal(TimeSpan.FromMilliseconds(250), delays[0]);
        Assert.Equal(TimeSpan.FromMilliseconds(500), delays[1]);
        Assert.All(delays.Zip(delays.Skip(1)), pair => Assert.True(pair.First <= pair.Second));
        Assert.Equal(TimeSpan.FromSeconds(15), delays[^1]);
    }

    [Fact]
    public async Task A_listener_that_cannot_reach_the_database_keeps_trying_reports_degraded_and_stops_promptly()
    {
        // Port 1 on loopback: nothing listens, every connect is refused at once.
        await using var unreachable = NpgsqlDataSource.Create("Host=127.0.0.1;Port=1;Username=portal;Timeout=2");
        using var listener = new ChangeListener(unreachable, new ChangeFeed(NullLogger<ChangeFeed>.Instance), TimeProvider.System, NullLogger<ChangeListener>.Instance);
        var health = new ChangeListenerHealthCheck(listener);

        await listener.StartAsync(CancellationToken.None);
        await Eventually.TrueAsync(() => listener.IsReconnecting, "the listener to report its failure");

        var result = await health.CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.False(listener.IsListening);

        var stopping = listener.StopAsync(CancellationToken.None);
        await Eventually.TrueAsync(() => stopping.IsCompleted, "the listener to stop while it is reconnecting");
        await stopping;
    }
}
