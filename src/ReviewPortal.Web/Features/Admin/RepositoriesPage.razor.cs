using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using ReviewPortal.Web.Data;

namespace ReviewPortal.Web.Features.Admin;

/// <summary>The registered repositories and the form that registers one (its webhook secret is shown once).</summary>
public partial class RepositoriesPage
{
    private MudForm mudForm = default!;
    private RepositoryForm form = new();
    private List<ScmRepository>? repositories;
    private RegisteredRepository? registered;
    private bool busy;

    // The registry's refusals and the values they refused: a field shows its refusal until its value changes.
    private FieldErrors? refusals;
    private RepositoryForm? refused;

    [Inject]
    private IDbContextFactory<PortalDbContext> DbFactory { get; set; } = default!;

    [Inject]
    private RepositoryRegistry Registry { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    protected override Task OnInitializedAsync() => LoadAsync();

    private string WebhookUrlFor(ScmRepository repository) =>
        RepositoryRegistry.WebhookPathFor(repository) is { Length: > 0 } path ? Navigation.ToAbsoluteUri(path).ToString() : "";

    private async Task LoadAsync()
    {
        await using var db = await DbFactory.CreateDbContextAsync();
        repositories = await db.Repositories.AsNoTracking().OrderBy(r => r.Name).ThenBy(r => r.Provider).ToListAsync();
    }

    private Func<string?, string?> Refused(string property) => value =>
        refusals is not null && refused is not null && value == refused.ValueOf(property) ? refusals.For(RepositoryForm.ApiFieldOf(property)) : null;

    private async Task RegisterAsync()
    {
        refusals = null;
        await mudForm.ValidateAsync();
        if (!mudForm.IsValid)
        {
            return;
        }

        busy = true;
        try
        {
            var registration = await Registry.TryRegisterAsync(form.ToRequest());
            if (registration.Registered is null)
            {
                (refusals, refused) = (registration.Errors, form.Copy());
                await mudForm.ValidateAsync();
                return;
            }

            registered = registration.Registered;
            Snackbar.Add($"{registered.Repository.Name} is registered.", Severity.Success);
            form = new RepositoryForm();
            await mudForm.ResetValidationAsync();
            await LoadAsync();
        }
        finally
        {
            busy = false;
        }
    }

    private sealed class RepositoryForm
    {
        public ScmProvider Provider { get; set; } = ScmProvider.GitHub;

        public string? Name { get; set; }

        public string? ProjectId { get; set; }

        public string? ApiBaseUrl { get; set; }

        public string? AccessToken { get; set; }

        public string? LocalPath { get; set; }

        public string? AgentAccounts { get; set; } = "*[bot]";

        public string? AgentLabels { get; set; }

        /// <summary>The field name the registry's refusals use for <paramref name="property"/>.</summary>
        public static string ApiFieldOf(string property) => char.ToLowerInvariant(property[0]) + property[1..];

        public string? ValueOf(string property) => property switch
        {
            nameof(Name) => Name,
            nameof(ProjectId) => ProjectId,
            nameof(ApiBaseUrl) => ApiBaseUrl,
            nameof(AccessToken) => AccessToken,
            nameof(LocalPath) => LocalPath,
            nameof(AgentAccounts) => AgentAccounts,
            nameof(AgentLabels) => AgentLabels,
            _ => throw new ArgumentOutOfRangeException(nameof(property), property, "Not a field of the form."),
        };

        public RepositoryForm Copy() => (RepositoryForm)MemberwiseClone();

        public RegisterRepositoryRequest ToRequest() => new(
            Provider, Name ?? "", ProjectId, ApiBaseUrl, AccessToken, LocalPath,
            AgentAccounts: Split(AgentAccounts), AgentLabels: Split(AgentLabels));

        private static List<string> Split(string? values) =>
            (values ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
    }
}
