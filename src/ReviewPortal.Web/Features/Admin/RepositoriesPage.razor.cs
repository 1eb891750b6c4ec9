using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using ReviewPortal.Web.Data;

namespace ReviewPortal.Web.Features.Admin;

public partial class RepositoriesPage
{
    private readonly RepositoryForm form = new();
    private List<ScmRepository>? repositories;
    private RegisteredRepository? registered;
    private string? loadError;
    private string? formError;
    private bool busy;

    [Inject]
    private IDbContextFactory<PortalDbContext> DbFactory { get; set; } = default!;

    [Inject]
    private RepositoryRegistry Registry { get; set; } = default!;

    [Inject]
    private ILogger<RepositoriesPage> Logger { get; set; } = default!;

    protected override Task OnInitializedAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        try
        {
            await using var db = await DbFactory.CreateDbContextAsync();
            repositories = await db.Repositories.AsNoTracking().OrderBy(r => r.Name).ToListAsync();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogError(ex, "Loading repositories failed.");
            loadError = "The repositories could not be loaded. Try again in a moment.";
        }
    }

    private async Task RegisterAsync()
    {
        busy = true;
        formError = null;
        registered = null;
        try
        {
            registered = await Registry.RegisterAsync(form.ToRequest());
            form.AccessToken = null;
            await LoadAsync();
        }
        catch (DbUpdateException ex)
        {
            Logger.LogWarning(ex, "Registering {Provider} {Name} failed.", form.Provider, form.Name);
            formError = $"A {form.Provider} repository named '{form.Name}' is already registered.";
        }
        finally
        {
            busy = false;
        }
    }

    private sealed class RepositoryForm
    {
        public ScmProvider Provider { get; set; } = ScmProvider.GitHub;

        [Required, StringLength(300)]
        public string Name { get; set; } = "";

        public string? ProjectId { get; set; }

        [Url]
        public string? ApiBaseUrl { get; set; }

        public string? AccessToken { get; set; }

        public string? LocalPath { get; set; }

        public string? AgentAccounts { get; set; } = "*[bot]";

        public string? AgentLabels { get; set; }

        public RegisterRepositoryRequest ToRequest() => new(
            Provider, Name, ProjectId, ApiBaseUrl, AccessToken, LocalPath,
            AgentAccounts: Split(AgentAccounts), AgentLabels: Split(AgentLabels));

        private static List<string> Split(string? values) =>
            (values ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
    }
}
