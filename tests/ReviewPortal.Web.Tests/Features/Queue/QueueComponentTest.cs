using System.Security.Claims;
using Microsoft.Extensions.DependencyInjection;
using ReviewPortal.Testing;
using ReviewPortal.Web.Features.Queue;
using ReviewPortal.Web.Infrastructure.Notifications;

namespace ReviewPortal.Web.Tests.Features.Queue;

/// <summary>
/// A component test of the queue's components on the portal's own services and database (<see cref="QueueFixture"/>):
/// claims, access checks and queries run for real.
/// </summary>
public abstract class QueueComponentTest : ComponentTest
{
    protected QueueComponentTest(QueueFixture fixture)
    {
        ArgumentNullException.ThrowIfNull(fixture);
        Fixture = fixture;
        UsePortalPeople(fixture.Services);
        Services.AddSingleton(fixture.Services.GetRequiredService<ClaimService>());
        Services.AddSingleton(fixture.Services.GetRequiredService<QueueQuery>());
        Services.AddSingleton(fixture.Services.GetRequiredService<ChangeFeed>());
        Services.AddSingleton(TimeProvider.System);
    }

    /// <summary>How long a test waits for the database-backed render it expects; a condition, never a pause.</summary>
    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    protected QueueFixture Fixture { get; }

    /// <summary>Signs a fixture person in as their cookie would: by user id; their roles come from the database.</summary>
    protected void SignInAs(string email)
    {
        Authorization.SetAuthorized(email);
        Authorization.SetClaims(new Claim(ClaimTypes.NameIdentifier, Fixture.IdOf(email)));
    }
}
