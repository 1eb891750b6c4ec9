using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using ReviewPortal.Web.Data;

namespace ReviewPortal.Web.Features.Admin;

public partial class ApiClientsPage
{
    private List<ApiClient>? clients;
    private CreatedApiClient? created;
    private string? newName;
    private string? error;
    private bool busy;

    [Inject]
    private IDbContextFactory<PortalDbContext> DbFactory { get; set; } = default!;

    [Inject]
    private ApiClientRegistry Registry { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    protected override Task OnInitializedAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        await using var db = await DbFactory.CreateDbContextAsync();
        clients = await db.ApiClients.AsNoTracking().OrderBy(c => c.Name).ToListAsync();
    }

    private async Task CreateAsync()
    {
        busy = true;
        error = null;
        try
        {
            var user = (await AuthenticationState).User.Identity?.Name ?? "admin";
            created = await Registry.CreateAsync(newName!, user);
            newName = null;
            await LoadAsync();
        }
        catch (DbUpdateException)
        {
            error = $"A client named '{newName}' already exists.";
        }
        finally
        {
            busy = false;
        }
    }

    private async Task RevokeAsync(ApiClient client)
    {
        await Registry.RevokeAsync(client.Id);
        await LoadAsync();
    }
}
