using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Web;
using MudBlazor;
using ReviewPortal.Web.Data;

namespace ReviewPortal.Web.Components.Layout;

/// <summary>
/// The signed-in frame: app bar, role-aware navigation, and the light or dark scheme the person chose (kept on their
/// account; until they choose, the browser's own preference). Page bodies render inside an error boundary, so a
/// failing panel shows a message with a retry instead of taking the circuit down.
/// </summary>
public partial class MainLayout
{
    private MudThemeProvider? themeProvider;
    private ErrorBoundary? errorBoundary;
    private ColourScheme scheme;
    private bool systemDark;
    private bool isDark;
    private string? userId;

    [CascadingParameter]
    private Task<AuthenticationState>? AuthenticationState { get; set; }

    [Inject]
    private ThemePreferences Preferences { get; set; } = default!;

    private string SchemeLabel => isDark ? "Use the light theme" : "Use the dark theme";

    protected override async Task OnInitializedAsync()
    {
        if (AuthenticationState is not null)
        {
            userId = ThemePreferences.UserIdOf((await AuthenticationState).User);
        }

        scheme = await Preferences.SchemeAsync(userId);
        isDark = scheme == ColourScheme.Dark;
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender && RendererInfo.IsInteractive && scheme == ColourScheme.System && themeProvider is not null)
        {
            systemDark = await themeProvider.GetSystemDarkModeAsync();
            if (systemDark != isDark)
            {
                isDark = systemDark;
                StateHasChanged();
            }
        }
    }

    private async Task ToggleSchemeAsync()
    {
        isDark = !isDark;
        scheme = isDark ? ColourScheme.Dark : ColourScheme.Light;
        if (userId is not null)
        {
            await Preferences.SetSchemeAsync(userId, scheme);
        }
    }

    private void Recover() => errorBoundary?.Recover();
}
