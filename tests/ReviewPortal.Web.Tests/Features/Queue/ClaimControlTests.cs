using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Domain.Risk;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Features.Queue;
using ReviewPortal.Web.Tests.Components;

namespace ReviewPortal.Web.Tests.Features.Queue;

/// <summary>The review page's claim control, rendered with the portal's own services against its database.</summary>
public sealed class ClaimControlTests(QueueFixture fixture) : IClassFixture<QueueFixture>
{
    private async Task<AngleSharp.Dom.IElement> RenderAsync(Change change, ClaimsPrincipal user)
    {
        var state = Task.FromResult(new AuthenticationState(user));
        RenderFragment content = builder =>
        {
            builder.OpenComponent<ClaimControl>(0);
            builder.AddComponentParameter(1, nameof(ClaimControl.Change), change);
            builder.CloseComponent();
        };
        var document = await ComponentRenderer.RenderAsync<CascadingValue<Task<AuthenticationState>>>(
            new Dictionary<string, object?> { ["Value"] = state, ["ChildContent"] = content },
            services => services
                .AddSingleton(fixture.Services.GetRequiredService<ChangeAccess>())
                .AddSingleton(fixture.Services.GetRequiredService<ClaimService>()));
        return document.QuerySelector("[data-testid=claim-control]")!;
    }

    [Fact]
    public async Task A_reviewer_sees_an_unassigned_change_with_a_labelled_claim_button()
    {
        var change = await fixture.AddAsync(new(QueueFixture.NewRepository()) { Title = "Tidy logging" });

        var control = await RenderAsync(change, fixture.PrincipalOf(QueueFixture.Riley));

        Assert.Equal("Unassigned", control.QuerySelector("[data-testid=assignee]")!.TextContent);
        Assert.Equal($"Claim change {change.Id}: Tidy logging", control.QuerySelector("[data-testid=claim-button]")!.GetAttribute("aria-label"));
        Assert.Null(control.QuerySelector("[data-testid=release-button]"));
    }

    [Fact]
    public async Task The_assignee_sees_release_and_others_see_who_has_it()
    {
        var change = await fixture.AddAsync(new(QueueFixture.NewRepository()) { AssignedTo = QueueFixture.Sam });

        var own = await RenderAsync(change, fixture.PrincipalOf(QueueFixture.Sam));
        var other = await RenderAsync(change, fixture.PrincipalOf(QueueFixture.Riley));

        Assert.Equal("You", own.QuerySelector("[data-testid=assignee]")!.TextContent);
        Assert.NotNull(own.QuerySelector("[data-testid=release-button]"));
        Assert.Equal("Sam Okafor", other.QuerySelector("[data-testid=assignee]")!.TextContent);
        Assert.Null(other.QuerySelector("button"));
    }

    [Theory]
    [InlineData(QueueFixture.Riley, RiskTier.Critical)]
    [InlineData(QueueFixture.Morgan, RiskTier.Low)]
    public async Task No_claim_button_for_someone_who_may_not_claim(string email, RiskTier tier)
    {
        var change = await fixture.AddAsync(new(QueueFixture.NewRepository()) { Tier = tier });

        var control = await RenderAsync(change, fixture.PrincipalOf(email));

        Assert.Null(control.QuerySelector("button"));
    }

    [Fact]
    public async Task The_buttons_follow_the_roles_in_the_database_not_those_in_the_cookie()
    {
        var change = await fixture.AddAsync(new(QueueFixture.NewRepository()) { Tier = RiskTier.Critical });
        var stale = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, fixture.IdOf(QueueFixture.Morgan)), new Claim(ClaimTypes.Role, PortalRoles.SecurityReviewer)], "test"));

        var control = await RenderAsync(change, stale);

        Assert.Null(control.QuerySelector("[data-testid=claim-button]"));
    }
}
