using MudBlazor.Services;
using ReviewPortal.Web.Components;
using ReviewPortal.Web.Components.Layout;

namespace ReviewPortal.Web.Infrastructure;

public static class WebUiExtensions
{
    public static IServiceCollection AddPortalWebUi(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        services.AddSingleton<ThemePreferences>();
        services.AddProblemDetails();
        services.AddOpenApi();
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.AddSingleton(TimeProvider.System);
        return services;
    }

    public static WebApplication UsePortalPipeline(this WebApplication app)
    {
        app.UseExceptionHandler("/Error", createScopeForErrors: true);
        // Errors the framework answers with an empty body (415 from routing, 405, 404) get problem+json on the
        // machine-facing paths (the inner handler) and a page of the portal's own everywhere else (the outer one,
        // which finds the API responses already written and leaves them).
        app.UseStatusCodePagesWithReExecute("/status/{0}", createScopeForStatusCodePages: true);
        app.UseWhen(context => ApiExceptionHandler.IsMachineFacing(context.Request), api => api.UseStatusCodePages());
        app.UseAntiforgery();
        return app;
    }

    public static WebApplication MapPortalWebUi(this WebApplication app)
    {
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        app.MapHealthChecks("/health");
        // The API description for agents and CI: /openapi/v1.json.
        app.MapOpenApi();
        return app;
    }
}
