using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Features.Ingest.Webhooks;

namespace ReviewPortal.Web.Features.Admin;

/// <summary>The webhook deliveries that failed (with their error) or wait for a retry, newest first.</summary>
public partial class WebhookDeliveriesPage
{
    private List<DeliverySummary>? deliveries;
    private Dictionary<long, string> repositoryNames = [];

    /// <summary><c>retrying</c> lists deliveries waiting for a retry; anything else the failed ones.</summary>
    [SupplyParameterFromQuery(Name = "show")]
    public string? Show { get; set; }

    [Inject]
    private DeliveryLog Log { get; set; } = default!;

    [Inject]
    private IDbContextFactory<PortalDbContext> DbFactory { get; set; } = default!;

    private bool Retrying => string.Equals(Show, "retrying", StringComparison.OrdinalIgnoreCase);

    protected override async Task OnParametersSetAsync()
    {
        deliveries = null;
        await using (var db = await DbFactory.CreateDbContextAsync())
        {
            repositoryNames = await db.Repositories.AsNoTracking().ToDictionaryAsync(r => r.Id, r => r.Name);
        }

        deliveries = Retrying ? await Log.ListRetryingAsync() : await Log.ListAsync(DeliveryStatus.Failed);
    }

    // Deliveries keep no foreign key to their repository (see the inbox's table): one may name a repository since removed.
    private string RepositoryName(long id) => repositoryNames.TryGetValue(id, out var name) ? name : $"repository {id}";
}
