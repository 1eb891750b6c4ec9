using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using ReviewPortal.Domain.ApiClients;
using ReviewPortal.Web.Data;

namespace ReviewPortal.Web.Features.Admin;

/// <summary>One API client: its key's facts, its scopes and the repositories it is limited to.</summary>
public partial class ApiClientPage
{
    private ApiClient? client;
    private IReadOnlyList<ApiClientGrant>? grants;
    private List<ScmRepository> repositories = [];
    private long? selectedRepositoryId;
    private ApiScope editedScopes;
    private string? message;
    private string? error;
    private string? loadError;
    private bool busy;

    [Parameter]
    public long ClientId { get; set; }

    [Inject]
    private IDbContextFactory<PortalDbContext> DbFactory { get; set; } = default!;

    [Inject]
    private ApiClientRegistry Registry { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    private List<ScmRepository> Grantable =>
        repositories.Where(r => grants?.All(g => g.RepositoryId != r.Id) ?? true).ToList();

    protected override Task OnParametersSetAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        await using var db = await DbFactory.CreateDbContextAsync();
        client = await db.ApiClients.AsNoTracking().FirstOrDefaultAsync(c => c.Id == ClientId);
        if (client is null)
        {
            loadError = $"There is no API client {ClientId}.";
            return;
        }

        editedScopes = client.Scopes;
        repositories = await db.Repositories.AsNoTracking().OrderBy(r => r.Name).ThenBy(r => r.Provider).ToListAsync();
        grants = await Registry.GrantsOfAsync(ClientId);
    }

    private async Task GrantAsync()
    {
        message = null;
        error = null;
        var repository = repositories.FirstOrDefault(r => r.Id == selectedRepositoryId);
        if (repository is null)
        {
            error = "Choose the repository to grant first.";
            return;
        }

        busy = true;
        try
        {
            var admin = (await AuthenticationState).User.Identity?.Name ?? "admin";
            var outcome = await Registry.GrantAsync(ClientId, repository.Id, admin);
            var text = outcome.Describe(client!.Name, repository.Name);
            (message, error) = outcome == GrantOutcome.Granted ? (text, (string?)null) : (null, text);
            selectedRepositoryId = null;
            await LoadAsync();
        }
        finally
        {
            busy = false;
        }
    }

    private async Task SaveScopesAsync()
    {
        message = null;
        error = null;
        busy = true;
        try
        {
            var admin = (await AuthenticationState).User.Identity?.Name ?? "admin";
            (message, error) = await Registry.SetScopesAsync(ClientId, editedScopes, admin) switch
            {
                null => (null, $"{client!.Name} is no longer active; its scopes cannot change."),
                { Any: true } refused => (null, refused.For("scopes")),
                _ => ($"{client!.Name} now holds: {editedScopes.Describe()}.", (string?)null),
            };
            await LoadAsync();
        }
        finally
        {
            busy = false;
        }
    }

    private async Task RemoveAsync(ApiClientGrant grant)
    {
        message = null;
        error = null;
        busy = true;
        try
        {
            var name = grant.Repository?.Name ?? $"repository {grant.RepositoryId}";
            (message, error) = await Registry.RemoveGrantAsync(ClientId, grant.RepositoryId)
                ? ($"{client!.Name} is no longer granted {name}.", (string?)null)
                : (null, $"{client!.Name} was not granted {name} any more.");
            await LoadAsync();
        }
        finally
        {
            busy = false;
        }
    }
}
