using ReviewPortal.Domain.ApiClients;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Web.Features.Queue;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Infrastructure;
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
        services.AddSingleton<DeliveryLog>();
        // An instance can take deliveries without processing them (Webhooks:Worker:Enabled=false), e.g. ingestion-only nodes.
        if (configuration.ReadSettings<BackgroundWorkerSettings>("Webhooks:Worker").Enabled)
        {
            services.AddHostedService(sp => sp.GetRequiredService<InboxWorker>());
        }
        return services;
    }

    public static IEndpointRouteBuilder MapPortalWebhooks(this IEndpointRouteBuilder endpoints)
    {
        // Signed by the SCM with the repository's webhook secret, and nothing else: an API key is no credential here.
        var webhooks = endpoints.MapGroup("/webhooks").DisableAntiforgery().WithTags("Webhooks");
        webhooks.MapPost("/github/{id:long}", (long id, HttpContext http, WebhookReceiver receiver) => receiver.ReceiveAsync(ScmProvider.GitHub, id, http));
        webhooks.MapPost("/gitlab/{id:long}", (long id, HttpContext http, WebhookReceiver receiver) => receiver.ReceiveAsync(ScmProvider.GitLab, id, http));

        // Where an admin sees what the inbox could not process and why (failed deliveries, newest first).
        endpoints.MapGet("/api/admin/webhook-deliveries", ListDeliveriesAsync)
            .AddEndpointFilter<ApiCallerEndpointFilter>()
            .RequireApiScope(ApiScope.Administer, personRole: PortalRoles.Admin)
            .WithTags("Admin")
            .WithSummary("Webhook deliveries by status (default Failed), newest first, with the reason of the last failure.");
        return endpoints;
    }

    private static async Task<IResult> ListDeliveriesAsync(DeliveryLog log, string? status, CancellationToken cancellationToken)
    {
        if (!Enum.TryParse<DeliveryStatus>(status ?? nameof(DeliveryStatus.Failed), ignoreCase: true, out var wanted) || int.TryParse(status, out _))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>(StringComparer.Ordinal) { ["status"] = ["Use Pending, Done or Failed."] });
        }

        return TypedResults.Ok(await log.ListAsync(wanted, cancellationToken));
    }
}

/// <summary>A webhook delivery as the admin API lists it (without its payload).</summary>
public sealed record DeliverySummary(
    long Id, long RepositoryId, string Provider, string DeliveryId, string EventType, string Status, int Attempts, string? LastError,
    DateTimeOffset ReceivedAt, DateTimeOffset? ProcessedAt, DateTimeOffset NextAttemptAt, long? ChangeId);
