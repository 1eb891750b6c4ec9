using Microsoft.AspNetCore.Components;
using ReviewPortal.Domain.ApiClients;

namespace ReviewPortal.Web.Features.Admin;

/// <summary>One checkbox per scope, bound to a key's set of scopes.</summary>
public partial class ApiScopePicker
{
    [Parameter]
    public ApiScope Value { get; set; }

    [Parameter]
    public EventCallback<ApiScope> ValueChanged { get; set; }

    [Parameter]
    public bool Disabled { get; set; }

    [Parameter]
    public string TestId { get; set; } = "scope-picker";

    private bool Holds(ApiScope scope) => (Value & scope) == scope;

    private Task ToggleAsync(ApiScope scope, bool on)
    {
        Value = on ? Value | scope : Value & ~scope;
        return ValueChanged.InvokeAsync(Value);
    }
}
