using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using ReviewPortal.Web.Data;

namespace ReviewPortal.Web.Features.Admin;

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
        }
        finally
        {
            busy = false;
        }
    }
}
