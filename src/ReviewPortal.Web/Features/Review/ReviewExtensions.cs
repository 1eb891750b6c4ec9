using System.Globalization;
using ReviewPortal.Web.Infrastructure;

namespace ReviewPortal.Web.Features.Review;

public static class ReviewExtensions
{
    public static IServiceCollection AddPortalReview(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DiffViewSettings>().BindConfiguration(DiffViewSettings.Section)
            .Validate(s => s.IsValid(), string.Create(CultureInfo.InvariantCulture, $"{DiffViewSettings.Section}: LongLineLimit must be {DiffViewSettings.MinimumLongLineLimit:N0} to {DiffViewSettings.MaximumLongLineLimit:N0} characters."))
            .ValidateOnStart();
        services.AddSingleton<ReviewQuery>();
        services.AddSingleton<ReviewPreferences>();
        services.AddSingleton<FileDiffWorker>();
        // An instance can serve pages without computing diffs (Diffs:Worker:Enabled=false).
        if (configuration.ReadSettings<BackgroundWorkerSettings>("Diffs:Worker").Enabled)
        {
            services.AddHostedService(sp => sp.GetRequiredService<FileDiffWorker>());
        }

        return services;
    }
}
