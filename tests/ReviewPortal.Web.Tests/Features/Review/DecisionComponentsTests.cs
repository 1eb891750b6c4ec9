using System.Security.Claims;
using AngleSharp.Dom;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.JSInterop;
using Npgsql;
using Radzen;
using ReviewPortal.Domain.Changes;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Domain.Policy;
using ReviewPortal.Domain.Provenance;
using ReviewPortal.Domain.Risk;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Features.Decisions;
using ReviewPortal.Web.Features.Review;
using ReviewPortal.Web.Infrastructure.Notifications;
using ReviewPortal.Web.Tests.Components;

namespace ReviewPortal.Web.Tests.Features.Review;

/// <summary>The policy needs, the timeline and the decision panel as they render for a given change and person.</summary>
public sealed class DecisionComponentsTests
{
    private const string Head = "abc1234def5678";
    private static readonly DateTimeOffset Arrived = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);

    private static Change NewChange(RiskTier tier, int revisions = 1, ProvenanceBundle? provenance = null)
    {
        var change = new Change
        {
            Id = 7,
            Title = "Rotate signing keys",
            Repository = "acme/payments",
            Author = "payments-agent[bot]",
            Prompter = "dana@demo.local",
            SubmittedBy = "test",
            SubmittedAt = Arrived,
            RuleSetVersion = "rs-test",
            Tier = tier,
            RevisionCount = revisions,
            HeadSha = Head,
            Provenance = provenance ?? new ProvenanceBundle(Tests: new TestResults(10, 0, 0), CoveragePercent: 90, PolicyComplianceScore: 60, Rollback: new RollbackPlan("Revert.", "All sessions.")),
        };
        for (var n = 1; n <= revisions; n++)
        {
            change.Events.Add(new ChangeEvent { Id = n, At = Arrived.AddHours(n - 1), Kind = n == 1 ? ChangeEventKind.Submitted : ChangeEventKind.Revision, Detail = $"Revision {n}.", RevisionNumber = n });
        }

        return change;
    }

    private static Decision Approval(string name, string email, string role, int revision = 1, string? sha = Head, int minutes = 5) => new()
    {
        Id = minutes,
        Kind = DecisionKind.Approve,
        ReviewerId = $"id-{email}",
        ReviewerName = name,
        ReviewerEmail = email,
        ReviewerRoles = [role],
        RevisionNumber = revision,
        CommitSha = sha,
        DecidedAt = Arrived.AddMinutes(minutes),
    };

    private static Decision Automatic() => new()
    {
        Id = 99,
        Kind = DecisionKind.Approve,
        ReviewerId = AutomaticApprover.ReviewerId,
        ReviewerName = AutomaticApprover.ReviewerName,
        IsAutomatic = true,
        PolicyRule = "automatic-approval (tier 1): 10 tests passed",
        RevisionNumber = 1,
        CommitSha = Head,
        DecidedAt = Arrived.AddHours(2),
    };

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
    public async Task Policy_needs_name_the_missing_security_approval_on_the_head_commit_and_who_counted()
    {
        var change = NewChange(RiskTier.Critical);
        change.Decisions.Add(Approval("Sasha Ivanova", "security@demo.local", PortalRoles.SecurityReviewer));

        var document = await RenderAsync<PolicyNeeds>(change);

        Assert.Equal("2 approvals by distinct security reviewers and a rollback plan with blast radius", document.QuerySelector("[data-testid=policy-requirement]")?.TextContent);
        Assert.Equal(["1 more security reviewer approval on abc1234"], document.QuerySelectorAll("[data-testid=policy-needs-list] li").Select(li => li.TextContent));
        Assert.Equal("Counted so far: Sasha Ivanova on abc1234.", document.QuerySelector("[data-testid=policy-counted]")?.TextContent);
        Assert.Equal("false", document.QuerySelector("[data-testid=policy-needs]")?.GetAttribute("data-satisfied"));
    }

    [Fact]
    public async Task Policy_needs_ask_for_the_rollback_plan_and_say_why_automatic_approval_waits()
    {
        var tier4 = NewChange(RiskTier.Critical, provenance: new ProvenanceBundle());
        var tier1 = NewChange(RiskTier.Low);

        var needs4 = (await RenderAsync<PolicyNeeds>(tier4)).QuerySelectorAll("[data-testid=policy-needs-list] li").Select(li => li.TextContent).ToList();
        var automatic = (await RenderAsync<PolicyNeeds>(tier1)).QuerySelector("[data-testid=automatic-approval]")?.TextContent;

        Assert.Equal(["2 security reviewer approvals on abc1234", "a rollback plan with blast radius"], needs4);
        Assert.Equal("or automatic approval, which waits because policy score 60 is below 80; the wait period runs until 2026-11-20 11:00 UTC (1 h after revision 1 arrived)", automatic);
    }

    [Fact]
    public async Task Policy_needs_say_when_the_policy_is_satisfied_and_count_stale_approvals()
    {
        var satisfied = NewChange(RiskTier.Medium);
        satisfied.Decisions.Add(Approval("Riley Reviewer", "riley@demo.local", PortalRoles.Reviewer));
        satisfied.State = ChangeState.Approved;
        var stale = NewChange(RiskTier.Medium, revisions: 2);
        stale.Decisions.Add(Approval("Riley Reviewer", "riley@demo.local", PortalRoles.Reviewer, revision: 1, sha: "0ld0000"));

        var satisfiedDocument = await RenderAsync<PolicyNeeds>(satisfied);
        var staleDocument = await RenderAsync<PolicyNeeds>(stale);

        Assert.Equal("Satisfied: approved by Riley Reviewer on abc1234.", satisfiedDocument.QuerySelector("[data-testid=policy-satisfied]")?.TextContent);
        Assert.Equal("1 earlier approval no longer counts: given on an earlier commit, or reset by a rise in tier.", staleDocument.QuerySelector("[data-testid=policy-stale]")?.TextContent);
        Assert.Equal(["1 reviewer approval on abc1234"], staleDocument.QuerySelectorAll("[data-testid=policy-needs-list] li").Select(li => li.TextContent));
    }

    [Fact]
    public async Task The_timeline_orders_events_and_decisions_and_marks_a_stale_approval_with_a_link_to_the_changes_since()
    {
        var change = NewChange(RiskTier.Medium, revisions: 2);
        change.Decisions.Add(Approval("Riley Reviewer", "riley@demo.local", PortalRoles.Reviewer, revision: 1, sha: "0ld0000aaaa", minutes: 20));

        var document = await RenderAsync<DecisionTimeline>(change);

        var entries = document.QuerySelectorAll("[data-testid=decision-timeline] > li").ToList();
        Assert.Equal(["timeline-event", "timeline-decision", "timeline-event"], entries.Select(e => e.GetAttribute("data-testid")));
        var stale = entries[1];
        Assert.StartsWith("Approved by Riley Reviewer (riley@demo.local, as reviewer) on revision 1 (0ld0000), 2026-11-20 10:20 UTC", Text(stale), StringComparison.Ordinal);
        Assert.Equal("revision 1 (0ld0000)", stale.QuerySelector("[data-testid=decision-revision]")?.TextContent);
        Assert.Contains("the head is now revision 2 (abc1234), so it no longer counts", stale.QuerySelector("[data-testid=decision-stale]")?.TextContent, StringComparison.Ordinal);
        Assert.Equal("/changes/7?revision=2&since=1", stale.QuerySelector("a[data-testid=changes-since-decision]")?.GetAttribute("href"));
        Assert.Equal("2026-11-20T10:20:00.0000000+00:00", stale.QuerySelector("time")?.GetAttribute("datetime"));
    }

    [Fact]
    public async Task The_timeline_shows_an_automatic_decision_with_its_rule_and_a_veto_after_it()
    {
        var change = NewChange(RiskTier.Low);
        change.Decisions.Add(Automatic());
        change.Decisions.Add(new Decision
        {
            Id = 100, Kind = DecisionKind.Reject, Reason = "The limit is wrong.", ReviewerId = "id-sam", ReviewerName = "Sam Okafor", ReviewerRoles = [PortalRoles.Reviewer],
            RevisionNumber = 1, CommitSha = Head, DecidedAt = Arrived.AddHours(3),
        });

        var document = await RenderAsync<DecisionTimeline>(change);

        var decisions = document.QuerySelectorAll("[data-testid=timeline-decision]").ToList();
        Assert.StartsWith("Approved automatically by ReviewPortal (automatic)", Text(decisions[0]), StringComparison.Ordinal);
        Assert.Equal("Rule: automatic-approval (tier 1): 10 tests passed", decisions[0].QuerySelector("[data-testid=decision-rule]")?.TextContent);
        Assert.StartsWith("Rejected by Sam Okafor", Text(decisions[1]), StringComparison.Ordinal);
        Assert.Equal("The limit is wrong.", decisions[1].QuerySelector("blockquote")?.TextContent);
        Assert.Empty(document.QuerySelectorAll("[data-testid=decision-stale]"));
    }

    [Fact]
    public async Task The_timeline_names_an_event_by_its_label_not_by_its_kind()
    {
        var change = NewChange(RiskTier.Medium);
        change.Events.Add(new ChangeEvent { Id = 50, At = Arrived.AddMinutes(10), Kind = ChangeEventKind.AutoAssigned, Detail = "Assigned to Riley Reviewer.", RevisionNumber = 1 });

        var document = await RenderAsync<DecisionTimeline>(change);

        var assigned = document.QuerySelector("[data-testid=timeline-event][data-event-kind=AutoAssigned]")!;
        Assert.Equal("Assigned automatically", assigned.QuerySelector(".event-kind")?.TextContent);
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

    /// <summary>The text as a browser shows it: runs of white space are one space.</summary>
    private static string Text(IElement element) => string.Join(' ', element.TextContent.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
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
