namespace ReviewPortal.Web.Features.Review;

public static class ReviewExtensions
{
    public static IServiceCollection AddPortalReview(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DiffViewSettings>().BindConfiguration(DiffViewSettings.Section)
            .Validate(s => s.IsValid(), $"{DiffViewSettings.Section}: LongLineLimit must be 80 to 1,000,000 characters.")
            .ValidateOnStart();
        services.AddSingleton<ReviewQuery>();
        services.AddSingleton<ReviewPreferences>();
        services.AddSingleton<FileDiffWorker>();
        // An instance can serve pages without computing diffs (Diffs:Worker:Enabled=false).
        if (configuration.GetValue("Diffs:Worker:Enabled", defaultValue: true))
        {
            services.AddHostedService(sp => sp.GetRequiredService<FileDiffWorker>());
        }

        return services;
    }
}
