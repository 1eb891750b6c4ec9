namespace ReviewPortal.Web.Infrastructure.Notifications;

public static class NotificationExtensions
{
    /// <summary>Live updates: NOTIFY after changes commit, LISTEN on every instance, fan-out to the open circuits.</summary>
    public static IServiceCollection AddPortalNotifications(this IServiceCollection services) =>
        services
            .AddSingleton<ChangeFeed>()
            .AddSingleton<ChangeNotifier>();
}
