using System.Threading.Channels;
using Microsoft.Extensions.Options;
using ReviewPortal.Web.Infrastructure.Notifications;

namespace ReviewPortal.Web.Features.Queue;

/// <summary>
/// Runs <see cref="AutoAssigner"/> every <c>Review:Assignment:IntervalSeconds</c>, and at once when a change
/// arrives or is re-scored on any instance (the change feed), so a new change has an assignee within a second or so.
/// </summary>
public sealed class AutoAssignmentService(AutoAssigner assigner, ChangeFeed feed, IOptionsMonitor<AssignmentSettings> settings, ILogger<AutoAssignmentService> logger) : BackgroundService
{
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!settings.CurrentValue.Enabled)
        {
            logger.LogInformation("Automatic assignment is off on this instance (Review:Assignment:Enabled=false).");
            return;
        }

        using var subscription = feed.Subscribe(notification =>
        {
            if (notification.Activity is ChangeActivity.Arrived or ChangeActivity.Revised or ChangeActivity.Updated or ChangeActivity.Assigned)
            {
                _wake.Writer.TryWrite(true);
            }

            return Task.CompletedTask;
        });

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await assigner.RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The database may be restarting; the next pass tries again.
                logger.LogWarning(ex, "An automatic assignment pass failed.");
            }

            using var interval = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            interval.CancelAfter(TimeSpan.FromSeconds(settings.CurrentValue.IntervalSeconds));
            try
            {
                await _wake.Reader.ReadAsync(interval.Token);
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                // The interval elapsed with nothing new.
            }
        }
    }
}
