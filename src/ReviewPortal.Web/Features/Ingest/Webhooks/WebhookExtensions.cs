using ReviewPortal.Web.Data;
using ReviewPortal.Web.Scm;
using ReviewPortal.Web.Scm.GitHub;
using ReviewPortal.Web.Scm.GitLab;

namespace ReviewPortal.Web.Features.Ingest.Webhooks;

public static class WebhookExtensions
{
    public static IServiceCollection AddPortalWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddMemoryCache();
        services.AddSingleton<WebhookSecretCache>();
        services.AddSingleton<InboxSignal>();
        services.AddSingleton<InboxWriter>();
        services.AddSingleton<WebhookReceiver>();
        services.AddSingleton<ChangeIngestor>();
        services.AddTransient<ScmRetryHandler>();
        services.AddHttpClient<GitHubClient>(client => client.Timeout = TimeSpan.FromSeconds(60)).AddHttpMessageHandler<ScmRetryHandler>();
        services.AddHttpClient<GitLabClient>(client => client.Timeout = TimeSpan.FromSeconds(60)).AddHttpMessageHandler<ScmRetryHandler>();
        services.AddScoped<GitHubDeliveryProcessor>();
        services.AddScoped<GitLabDeliveryProcessor>();
        services.AddSingleton<InboxWorker>();
        // An instance can take deliveries without processing them (Webhooks:Worker:Enabled=false), e.g. ingestion-only nodes.
        if (configuration.GetValue("Webhooks:Worker:Enabled", defaultValue: true))
        {
            services.AddHostedService(sp => sp.GetRequiredService<InboxWorker>());
        }
        return services;
    }

    public static IEndpointRouteBuilder MapPortalWebhooks(this IEndpointRouteBuilder endpoints)
    {
        var webhooks = endpoints.MapGroup("/webhooks").DisableAntiforgery().WithTags("Webhooks");
        webhooks.MapPost("/github/{id:long}", (long id, HttpContext http, WebhookReceiver receiver) => receiver.ReceiveAsync(ScmProvider.GitHub, id, http));
        webhooks.MapPost("/gitlab/{id:long}", (long id, HttpContext http, WebhookReceiver receiver) => receiver.ReceiveAsync(ScmProvider.GitLab, id, http));
        return endpoints;
    }
}
