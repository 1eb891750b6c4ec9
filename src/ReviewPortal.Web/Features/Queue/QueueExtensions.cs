namespace ReviewPortal.Web.Features.Queue;

public static class QueueExtensions
{
    public static IServiceCollection AddPortalQueue(this IServiceCollection services) =>
        services.AddSingleton<QueueQuery>();
}
