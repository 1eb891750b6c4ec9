using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Testing;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Features.Admin;
using ReviewPortal.Web.Features.Ingest.Webhooks;

namespace ReviewPortal.Web.Tests.Features.Admin;

/// <summary>
/// An admin page rendered by bUnit over the portal's own services on its real PostgreSQL database (no EF fakes),
/// with the popover and dialog providers the layout would give it, and an admin signed in.
/// </summary>
public abstract class AdminPageTest : ComponentTest
{
    // Database round trips on a loaded machine: the assertion is retried until it holds, this only bounds a hang.
    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    protected AdminPageTest(PortalFixture fixture)
    {
        ArgumentNullException.ThrowIfNull(fixture);
        var portal = fixture.Factory.Services;
        Portal = portal;
        Services.AddSingleton(portal.GetRequiredService<IDbContextFactory<PortalDbContext>>());
        Services.AddSingleton(portal.GetRequiredService<RepositoryRegistry>());
        Services.AddSingleton(portal.GetRequiredService<ApiClientRegistry>());
        Services.AddSingleton(portal.GetRequiredService<AdminOverview>());
        Services.AddSingleton(portal.GetRequiredService<DeliveryLog>());
        SignIn(DemoLogin.Admin, PortalRoles.Admin);
    }

    protected IServiceProvider Portal { get; }

    /// <summary>The dialog provider the page's confirmations open in (rendered before the page, as the layout does).</summary>
    protected IRenderedComponent<MudDialogProvider> Dialogs { get; private set; } = default!;

    protected IRenderedComponent<TPage> RenderPage<TPage>(Action<ComponentParameterCollectionBuilder<TPage>>? parameters = null)
        where TPage : Microsoft.AspNetCore.Components.IComponent
    {
        Render<MudPopoverProvider>();
        Dialogs = Render<MudDialogProvider>();
        return Render(parameters);
    }

    protected static AngleSharp.Dom.IElement Button<TPage>(IRenderedComponent<TPage> page, string text)
        where TPage : Microsoft.AspNetCore.Components.IComponent =>
        page.FindAll("button").Single(b => b.TextContent.Trim() == text);

    /// <summary>The error MudBlazor shows under the field whose input matches <paramref name="input"/>, or null.</summary>
    protected static string? ErrorUnder<TPage>(IRenderedComponent<TPage> page, string input)
        where TPage : Microsoft.AspNetCore.Components.IComponent =>
        page.Find(input).Closest(".mud-input-control")?.QuerySelector(".mud-input-helper-text.mud-input-error")?.TextContent.Trim() is { Length: > 0 } text ? text : null;

    protected async Task<T> QueryAsync<T>(Func<PortalDbContext, Task<T>> query)
    {
        await using var db = await Portal.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        return await query(db);
    }
}
