using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using ReviewPortal.Web.Data;

namespace ReviewPortal.Web.Features.Admin;

/// <summary>The active risk rules, uploading a new version (refused with its errors, the active one kept) and the versions so far.</summary>
public partial class RiskRulesPage
{
    private IReadOnlyList<RiskRuleSetVersion>? history;
    private RuleSetUploadResult? result;
    private string? yaml;
    private bool busy;

    [Inject]
    private RiskRuleProvider Rules { get; set; } = default!;

    [Inject]
    private RiskRuleAdministration Administration { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        history = await Administration.HistoryAsync();
        yaml = history.FirstOrDefault(h => h.IsActive)?.Yaml ?? Domain.Risk.RiskRuleSet.DefaultYaml;
    }

    private async Task UploadAsync()
    {
        busy = true;
        try
        {
            var user = (await AuthenticationState).User.Identity?.Name ?? "admin";
            result = await Administration.UploadAsync(yaml, user);
            history = await Administration.HistoryAsync();
            if (result.Activated)
            {
                Snackbar.Add($"Rule set {result.Version} is active.", Severity.Success);
            }
        }
        finally
        {
            busy = false;
        }
    }
}
