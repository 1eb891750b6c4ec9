using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using ReviewPortal.Domain.ApiClients;
using ReviewPortal.Web.Data;

namespace ReviewPortal.Web.Features.Admin;

/// <summary>The API clients, creating one (its key shown once) and revoking one after a confirmation.</summary>
public partial class ApiClientsPage
{
    private MudForm mudForm = default!;
    private List<ApiClient>? clients;
    private string? newName;
    private ApiScope newScopes = ApiScopes.AgentDefault;
    private string? scopeRefusal;
    private CreatedApiClient? created;
    private bool busy;

    // The registry's refusal of a name stays at the field until the name changes.
    private (string? Name, string Message)? refusal;

    [Inject]
    private IDbContextFactory<PortalDbContext> DbFactory { get; set; } = default!;

    [Inject]
    private ApiClientRegistry Registry { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    protected override Task OnInitializedAsync() => LoadAsync();

    private Func<string?, string?> RefusedName => name => refusal is { } r && r.Name == name ? r.Message : null;

    private async Task LoadAsync()
    {
        await using var db = await DbFactory.CreateDbContextAsync();
        clients = await db.ApiClients.AsNoTracking().OrderBy(c => c.Name).ToListAsync();
    }

    private async Task CreateAsync()
    {
        refusal = null;
        scopeRefusal = null;
        await mudForm.ValidateAsync();
        if (!mudForm.IsValid)
        {
            return;
        }

        busy = true;
        try
        {
            var user = (await AuthenticationState).User.Identity?.Name ?? "admin";
            var creation = await Registry.TryCreateAsync(newName, newScopes, user);
            if (creation.Created is null)
            {
                scopeRefusal = creation.Errors.For("scopes");
                refusal = creation.Errors.For("name") is { } nameRefusal ? (newName, nameRefusal) : null;
                await mudForm.ValidateAsync();
                return;
            }

            created = creation.Created;
            newName = null;
            newScopes = ApiScopes.AgentDefault;
            await mudForm.ResetValidationAsync();
            await LoadAsync();
        }
        finally
        {
            busy = false;
        }
    }

    private async Task RevokeAsync(ApiClient client)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync(
            $"Revoke {client.Name}?",
            $"Its key stops working at once: agents and CI using it can no longer submit changes or provenance. This cannot be undone; a new client needs a new key.",
            yesText: "Revoke", cancelText: "Cancel");
        if (confirmed != true)
        {
            return;
        }

        Snackbar.Add(await Registry.RevokeAsync(client.Id) ? $"{client.Name} is revoked." : $"{client.Name} was already revoked.",
            Severity.Success);
        await LoadAsync();
    }
}
