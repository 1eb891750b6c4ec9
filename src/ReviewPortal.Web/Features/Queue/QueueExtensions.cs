namespace ReviewPortal.Web.Features.Queue;

public static class QueueExtensions
{
    /// <summary>Queue pages and their query, tier-4 visibility, claims, automatic assignment and the SLA.</summary>
    public static IServiceCollection AddPortalQueue(this IServiceCollection services)
    {
        services.AddOptions<SlaSettings>().BindConfiguration(SlaSettings.Section)
            .Validate(s => s.IsValid(), $"{SlaSettings.Section}: each TierNHours must be more than 0 and at most a year.")
            .ValidateOnStart();
        services.AddOptions<AssignmentSettings>().BindConfiguration(AssignmentSettings.Section)
            .Validate(s => s.IsValid(), $"{AssignmentSettings.Section}: Tiers must list tiers 1-4 separated by commas, IntervalSeconds must be 1-3600.")
            .ValidateOnStart();
        services.AddSingleton<QueueQuery>();
        services.AddSingleton<IQueueRows>(sp => sp.GetRequiredService<QueueQuery>());
        services.AddSingleton<ClaimService>();
        services.AddSingleton<AutoAssigner>();
        services.AddHostedService<AutoAssignmentService>();
        return services;
    }
}
