using System.Security.Claims;
using AngleSharp.Dom;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.JSInterop;
using Npgsql;
using Radzen;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Domain.Policy;
using ReviewPortal.Domain.Risk;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Features.Decisions;
using ReviewPortal.Web.Features.Review;
using ReviewPortal.Web.Infrastructure.Notifications;
using ReviewPortal.Web.Tests.Components;

using static ReviewPortal.Web.Tests.Features.Review.ReviewTestChanges;

namespace ReviewPortal.Web.Tests.Features.Review;

/// <summary>The policy needs, the timeline and the decision panel as they render for a given change and person.</summary>
public sealed class DecisionComponentsTests
{
    private static ClaimsPrincipal Person(string email, params string[] roles) =>
        new(new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, $"id-{email}"), new Claim(ClaimTypes.Name, email), new Claim(ClaimTypes.Email, email), .. roles.Select(r => new Claim(ClaimTypes.Role, r))],
            "test"));

    // revision: the revision the reviewer navigated to (the head when null); pinnedHead: the head they navigated to,
    // when another commit arrived since.
    private static Task<IDocument> RenderAsync<TComponent>(Change change, ClaimsPrincipal? user = null, int? revision = null, DecisionTarget? pinnedHead = null)
        where TComponent : IComponent
    {
        var parameters = new Dictionary<string, object?>(StringComparer.Ordinal) { ["Change"] = change };
        if (typeof(TComponent) == typeof(DecisionPanel))
        {
            var shown = revision ?? change.RevisionCount;
            parameters[nameof(DecisionPanel.Target)] = pinnedHead ?? new DecisionTarget(shown, shown == change.RevisionCount ? change.HeadSha : null);
            parameters[nameof(DecisionPanel.TargetWasHead)] = pinnedHead is not null || shown == change.RevisionCount;
        }

        return ComponentRenderer.RenderAsync<TComponent>(parameters, services =>
        {
            services.AddOptions<ReviewPolicyOptions>();
            services.AddSingleton<TimeProvider>(new FixedClock(Arrived.AddMinutes(30)));
            services.AddSingleton<NavigationManager, TestNavigation>();
            services.AddSingleton<IJSRuntime, NoScripts>();
            services.AddRadzenComponents();
            // Never called while rendering: deciding goes through a circuit, tested in the browser and against PostgreSQL.
            services.AddSingleton(NpgsqlDataSource.Create("Host=127.0.0.1;Port=1"));
            services.AddSingleton<ChangeNotifier>();
            services.AddSingleton<DecisionService>();
            services.AddSingleton<AuthenticationStateProvider>(new FixedAuthentication(user ?? Person("riley@demo.local", PortalRoles.Reviewer)));
            services.AddCascadingAuthenticationState();
        });
    }

    [Fact]
    public async Task The_prompter_sees_approve_off_with_the_reason_and_can_still_reject_or_send_back()
    {
        var document = await RenderAsync<DecisionPanel>(NewChange(RiskTier.Medium), Person("dana@demo.local", PortalRoles.Reviewer));

        var approve = document.QuerySelector("[data-testid=approve-button]")!;
        Assert.True(approve.HasAttribute("disabled"));
        var reason = document.GetElementById(approve.GetAttribute("aria-describedby")!);
        Assert.Equal("You prompted this change, so you cannot approve it.", reason?.TextContent);
        Assert.False(document.QuerySelector("[data-testid=reject-button]")!.HasAttribute("disabled"));
        Assert.False(document.QuerySelector("[data-testid=request-changes-button]")!.HasAttribute("disabled"));
        Assert.NotNull(document.QuerySelector("textarea#decision-reason"));
        Assert.Equal("Comment (required to reject or request changes)", document.QuerySelector("label[for=decision-reason]")?.TextContent);
    }

    [Fact]
    public async Task A_reviewer_on_the_head_may_use_every_button()
    {
        var document = await RenderAsync<DecisionPanel>(NewChange(RiskTier.Medium));

        Assert.All(document.QuerySelectorAll("[data-testid$=-button]"), b => Assert.False(b.HasAttribute("disabled")));
        Assert.Equal(3, document.QuerySelectorAll("[data-testid$=-button]").Length);
        Assert.Equal("On the head, revision 1 (abc1234).", document.QuerySelector("[data-testid=decision-head]")?.TextContent);
    }

    [Theory]
    [InlineData(PortalRoles.Manager, RiskTier.Medium, "Only reviewers and security reviewers decide on changes.")]
    [InlineData(PortalRoles.Reviewer, RiskTier.Critical, "Only security reviewers decide on tier-4 changes.")]
    public async Task Someone_who_may_not_decide_sees_why_and_no_buttons(string role, RiskTier tier, string reason)
    {
        var document = await RenderAsync<DecisionPanel>(NewChange(tier), Person("someone@demo.local", role));

        Assert.Equal(reason, document.QuerySelector("[data-testid=decision-unavailable]")?.TextContent);
        Assert.Empty(document.QuerySelectorAll("button[data-testid]"));
    }

    [Fact]
    public async Task Looking_at_an_older_revision_points_to_the_changes_since_and_nothing_can_be_decided_there()
    {
        var document = await RenderAsync<DecisionPanel>(NewChange(RiskTier.Medium, revisions: 3), revision: 1);

        var notice = document.QuerySelector("[data-testid=decision-older-revision]")!;
        Assert.Equal("/changes/7?revision=3&since=1", notice.QuerySelector("a")?.GetAttribute("href"));
        Assert.Contains("Revision 3 (abc1234) is the head now, and you are looking at revision 1.", document.QuerySelector("[data-testid=decision-unavailable]")?.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "DecisionIntegrity")]
    public async Task A_commit_arriving_past_the_head_the_reviewer_read_is_announced_and_the_buttons_still_send_the_pinned_commit()
    {
        var change = NewChange(RiskTier.Medium, revisions: 2);

        var document = await RenderAsync<DecisionPanel>(change, pinnedHead: new DecisionTarget(1, "e05b042aaaaaaa"));

        var notice = document.QuerySelector("[data-testid=decision-head-moved]")!;
        Assert.Equal("Commit abc1234 arrived while you were reviewing e05b042: review the changes since, then decide. Review the changes since revision 1", Text(notice));
        Assert.Equal("/changes/7?revision=2&since=1", notice.QuerySelector("a")?.GetAttribute("href"));
        Assert.Null(document.QuerySelector("[data-testid=decision-older-revision]"));
        // Clickable: the click sends the pinned commit, and the server's refusal names the one that arrived.
        Assert.False(document.QuerySelector("[data-testid=reject-button]")!.HasAttribute("disabled"));
        Assert.False(document.QuerySelector("[data-testid=approve-button]")!.HasAttribute("disabled"));
    }

    [Fact]
    public async Task An_automatically_approved_change_offers_the_veto_and_not_another_approval()
    {
        var change = NewChange(RiskTier.Low);
        change.Decisions.Add(Automatic());
        change.State = ChangeState.Approved;

        var document = await RenderAsync<DecisionPanel>(change);

        Assert.NotNull(document.QuerySelector("[data-testid=decision-veto-note]"));
        Assert.True(document.QuerySelector("[data-testid=approve-button]")!.HasAttribute("disabled"));
        Assert.False(document.QuerySelector("[data-testid=reject-button]")!.HasAttribute("disabled"));
    }

    private sealed class FixedAuthentication(ClaimsPrincipal user) : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(new AuthenticationState(user));
    }

    private sealed class TestNavigation : NavigationManager
    {
        public TestNavigation() => Initialize("http://localhost/", "http://localhost/changes/7");
    }

    private sealed class NoScripts : IJSRuntime
    {
        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, object?[]? args) => throw new InvalidOperationException($"No scripts while rendering to HTML ({identifier}).");

        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, CancellationToken cancellationToken, object?[]? args) => InvokeAsync<TValue>(identifier, args);
    }
}
