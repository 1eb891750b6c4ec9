namespace ReviewPortal.Web.Infrastructure.Notifications;

public static class NotificationExtensions
{
    /// <summary>
    /// Live updates: every save through EF Core NOTIFYs what it changed (<see cref="ChangeNotificationInterceptor"/>,
    /// added to the DbContext options in <c>AddPortalDataAsync</c>), every instance LISTENs (<see cref="ChangeListener"/>),
    /// and <see cref="ChangeFeed"/> fans out to the open circuits, whose own SignalR connection re-renders the browser.
    /// </summary>
    public static IServiceCollection AddPortalNotifications(this IServiceCollection services)
    {
        services
            .AddSingleton<ChangeFeed>()
            .AddSingleton<ChangeNotifier>()
            .AddSingleton<ChangeNotificationInterceptor>()
            .AddSingleton<ChangeListener>()
            .AddHostedService(sp => sp.GetRequiredService<ChangeListener>())
            .AddHealthChecks().AddCheck<ChangeListenerHealthCheck>("live-updates");
        return services;
    }
}
