using System.Globalization;
using Microsoft.AspNetCore.Components;

namespace ReviewPortal.Web.Features.Admin;

/// <summary>Where admins land: what is registered and active, and what needs them, each linking to its page.</summary>
public partial class AdminOverviewPage
{
    private AdminFigures? figures;

    [Inject]
    private AdminOverview Overview { get; set; } = default!;

    private string? RepositoriesAttention => figures is { RepositoriesWithFailedDeliveries: > 0 and var failing }
        ? $"{failing} with failed webhook deliveries"
        : null;

    private string ClientsDetail => figures is null
        ? ""
        : $"{figures.RevokedClients} revoked · last used {figures.LastClientUse?.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) ?? "never"}";

    protected override async Task OnInitializedAsync() => figures = await Overview.FiguresAsync();
}
