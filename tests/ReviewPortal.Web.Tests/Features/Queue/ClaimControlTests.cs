using System.Security.Claims;
using Bunit;
using ReviewPortal.Domain.Changes;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Domain.Risk;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Features.Queue;

namespace ReviewPortal.Web.Tests.Features.Queue;

/// <summary>The review page's claim control, driven against the real claim service and database.</summary>
[Trait("Category", "Component")]
public sealed class ClaimControlTests(QueueFixture fixture) : QueueComponentTest(fixture), IClassFixture<QueueFixture>
{
    private IRenderedComponent<ClaimControl> RenderFor(Change change, string email, Action? onChanged = null)
    {
        SignInAs(email);
        return Ready(Render<ClaimControl>(p => p
            .Add(c => c.Change, change)
            .Add(c => c.OnChanged, () => onChanged?.Invoke())));
    }

    // The buttons depend on the viewer's roles, read from the database after the first render.
    private static IRenderedComponent<ClaimControl> Ready(IRenderedComponent<ClaimControl> control)
    {
        control.WaitForAssertion(() => Assert.Equal("false", control.Find("[data-testid=claim-control]").GetAttribute("aria-busy")), Patience);
        return control;
    }

    [Fact]
    public async Task Claim_assigns_the_change_to_the_signed_in_reviewer_and_says_so()
    {
        var change = await Fixture.AddAsync(new(QueueFixture.NewRepository()) { Title = "Tidy logging" });
        var changed = 0;
        var control = RenderFor(change, QueueFixture.Riley, () => changed++);

        var claim = control.Find("[data-testid=claim-button]");
        Assert.Equal($"Claim change {change.Id}: Tidy logging", claim.GetAttribute("aria-label"));
        Assert.Equal("Unassigned", control.Find("[data-testid=assignee]").TextContent);
        // Clicked on the renderer's dispatcher, so the control cannot render again (its viewer loading) between the
        // lookup and the click.
        await control.InvokeAsync(() => control.Find("[data-testid=claim-button]").Click());

        control.WaitForAssertion(() => Assert.Equal("You have this change.", control.Find("[data-testid=claim-message]").TextContent), Patience);
        var stored = await Fixture.ReadAsync(change.Id);
        Assert.Equal((Fixture.IdOf(QueueFixture.Riley), "Riley Reviewer"), (stored.AssignedToId, stored.AssignedToName));
        Assert.Contains(stored.Events, e => e.Kind == ChangeEventKind.Claimed);
        Assert.Equal(1, changed);
    }

    [Fact]
    public async Task Release_gives_the_change_back_to_the_queue()
    {
        var change = await Fixture.AddAsync(new(QueueFixture.NewRepository()) { AssignedTo = QueueFixture.Sam });
        var control = RenderFor(change, QueueFixture.Sam);

        Assert.Equal("You", control.Find("[data-testid=assignee]").TextContent);
        await control.InvokeAsync(() => control.Find("[data-testid=release-button]").Click());

        control.WaitForAssertion(() => Assert.Equal("Released: the change is back in the queue.", control.Find("[data-testid=claim-message]").TextContent), Patience);
        var stored = await Fixture.ReadAsync(change.Id);
        Assert.Null(stored.AssignedToId);
        Assert.Contains(stored.Events, e => e.Kind == ChangeEventKind.Released);
    }

    [Fact]
    public async Task A_reviewer_who_prompted_the_change_gets_a_note_instead_of_a_claim_button()
    {
        var change = await Fixture.AddAsync(new(QueueFixture.NewRepository()) { Prompter = QueueFixture.Riley });
        var control = RenderFor(change, QueueFixture.Riley);

        Assert.Equal("your change: someone else reviews it", control.Find("[data-testid=own-change]").TextContent);
        Assert.Empty(control.FindAll("button"));
    }

    [Fact]
    public async Task A_change_held_by_someone_else_shows_who_has_it_and_no_button()
    {
        var change = await Fixture.AddAsync(new(QueueFixture.NewRepository()) { AssignedTo = QueueFixture.Sam });
        var control = RenderFor(change, QueueFixture.Riley);

        Assert.Equal("Sam Okafor", control.Find("[data-testid=assignee]").TextContent);
        Assert.Empty(control.FindAll("button"));
    }

    [Theory]
    [InlineData(QueueFixture.Riley, RiskTier.Critical)]
    [InlineData(QueueFixture.Morgan, RiskTier.Low)]
    public async Task No_claim_button_for_someone_who_may_not_claim(string email, RiskTier tier)
    {
        var change = await Fixture.AddAsync(new(QueueFixture.NewRepository()) { Tier = tier });
        var control = RenderFor(change, email);

        Assert.Equal("Unassigned", control.Find("[data-testid=assignee]").TextContent);
        Assert.Empty(control.FindAll("button"));
    }

    [Fact]
    public async Task The_buttons_follow_the_roles_in_the_database_not_those_in_the_cookie()
    {
        var change = await Fixture.AddAsync(new(QueueFixture.NewRepository()) { Tier = RiskTier.Critical });
        // A cookie that still says "security reviewer" for a manager.
        Authorization.SetAuthorized(QueueFixture.Morgan);
        Authorization.SetClaims(new Claim(ClaimTypes.NameIdentifier, Fixture.IdOf(QueueFixture.Morgan)), new Claim(ClaimTypes.Role, PortalRoles.SecurityReviewer));
        var control = Ready(Render<ClaimControl>(p => p.Add(c => c.Change, change)));

        Assert.Equal("Unassigned", control.Find("[data-testid=assignee]").TextContent);
        Assert.Empty(control.FindAll("[data-testid=claim-button]"));
    }
}
