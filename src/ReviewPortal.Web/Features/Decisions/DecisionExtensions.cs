namespace ReviewPortal.Web.Features.Decisions;

public static class DecisionExtensions
{
    public static IServiceCollection AddPortalDecisions(this IServiceCollection services) =>
        services.AddSingleton<DecisionService>();
}
