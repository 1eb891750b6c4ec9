using Bunit;
using Bunit.TestDoubles;
using Microsoft.Extensions.DependencyInjection;
using ReviewPortal.Web.Features.Shared;
using MudBlazor.Services;
using Xunit;

namespace ReviewPortal.Testing;

/// <summary>
/// A bUnit context with MudBlazor's services, its JavaScript calls answered loosely (MudBlazor calls into the
/// browser for popovers and focus; the component's logic is what the test drives), and authorization that the test
/// sets with <see cref="SignIn"/>. Disposed asynchronously: some MudBlazor services are only async-disposable.
/// </summary>
public abstract class ComponentTest : BunitContext, IAsyncLifetime
{
    protected ComponentTest()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Authorization = AddAuthorization();
    }

    protected BunitAuthorizationContext Authorization { get; }

    /// <summary>Signs <paramref name="name"/> in with <paramref name="roles"/> for every component rendered after.</summary>
    protected void SignIn(string name, params string[] roles)
    {
        Authorization.SetAuthorized(name);
        Authorization.SetRoles(roles);
    }

    /// <summary>
    /// The portal's people and change access, on <paramref name="portal"/>'s database: the component then judges the
    /// signed-in person as the portal does, by the account and roles the database holds.
    /// </summary>
    protected void UsePortalPeople(IServiceProvider portal)
    {
        ArgumentNullException.ThrowIfNull(portal);
        Services.AddSingleton(portal.GetRequiredService<ReviewerDirectory>());
        Services.AddSingleton(portal.GetRequiredService<ChangeAccess>());
        Services.AddScoped<CurrentReviewer>();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync() => await base.DisposeAsync();
}
