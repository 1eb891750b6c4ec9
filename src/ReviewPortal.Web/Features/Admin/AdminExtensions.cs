namespace ReviewPortal.Web.Features.Admin;

public static class AdminExtensions
{
    public static IServiceCollection AddPortalAdmin(this IServiceCollection services)
    {
        services.AddMemoryCache();
        services.AddSingleton<ApiClientRegistry>();
        services.AddSingleton<RepositoryRegistry>();
        services.AddSingleton<PeopleAdministration>();
        services.AddSingleton<RiskRuleProvider>();
        services.AddHostedService(sp => sp.GetRequiredService<RiskRuleProvider>());
        services.AddSingleton<RiskRuleAdministration>();
        services.AddSingleton<AdminOverview>();
        return services;
    }
}
