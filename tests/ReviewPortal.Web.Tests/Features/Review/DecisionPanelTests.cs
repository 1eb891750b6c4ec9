using System.Security.Claims;
using AngleSharp.Dom;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Domain.Policy;
using ReviewPortal.Domain.Risk;
using ReviewPortal.Testing;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Features.Decisions;
using ReviewPortal.Web.Features.Review;
using ReviewPortal.Web.Tests.Features.Decisions;

namespace ReviewPortal.Web.Tests.Features.Review;

/// <summary>
/// The decision panel as a reviewer uses it: what it offers whom, and the approval and reason dialogs driven to the
/// real <see cref="DecisionService"/> on the test database, whose records and refusals the panel then shows.
/// </summary>
[Trait("Category", "Component")]
public sealed class DecisionPanelTests : ComponentTest, IClassFixture<QuietPortalFixture>
{
    private const string CommitA = "e05b042aaaaaaaaa";
    private const string CommitB = "343b7b8bbbbbbbbb";
    // Renders follow clicks at once, but the decision is recorded on the test database, which a busy machine slows.
    private static readonly TimeSpan Patience = Eventually.DefaultLimit;

    private readonly DecisionTestKit _kit;
    private readonly IRenderedComponent<MudDialogProvider> _dialogs;

    public DecisionPanelTests(QuietPortalFixture fixture)
    {
        ArgumentNullException.ThrowIfNull(fixture);
        _kit = new DecisionTestKit(fixture.Factory);
        UsePortalPeople(fixture.Factory.Services);
        Services.AddSingleton(fixture.Factory.Services.GetRequiredService<DecisionService>());
        Services.AddSingleton(fixture.Factory.Services.GetRequiredService<IOptionsMonitor<ReviewPolicyOptions>>());
        _dialogs = Render<MudDialogProvider>();
    }

    private IEnumerable<(string Message, Severity Severity)> Snackbars =>
        Services.GetRequiredService<ISnackbar>().ShownSnackbars.Select(s => (s.Message ?? "", s.Severity));

    private void SignInAs(string email, string userId, params string[] roles)
    {
        SignIn(email, roles);
        Authorization.SetClaims(new Claim(ClaimTypes.NameIdentifier, userId), new Claim(ClaimTypes.Email, email));
    }

    private void SignInAs(ClaimsPrincipal principal, params string[] roles) =>
        SignInAs(principal.Identity!.Name!, principal.FindFirstValue(ClaimTypes.NameIdentifier)!, roles);

    // revision: the revision the reviewer navigated to (the head when null); pinnedHead: the head they navigated to,
    // when another commit arrived since.
    private IRenderedComponent<DecisionPanel> RenderPanel(Change change, int? revision = null, DecisionTarget? pinnedHead = null)
    {
        var shown = revision ?? change.RevisionCount;
        var panel = Render<DecisionPanel>(p => p
            .Add(x => x.Change, change)
            .Add(x => x.Target, pinnedHead ?? new DecisionTarget(shown, shown == change.RevisionCount ? change.HeadSha : null))
            .Add(x => x.TargetWasHead, pinnedHead is not null || shown == change.RevisionCount));
        // The panel judges the person the database knows, read as it first renders.
        panel.WaitForAssertion(() => Assert.Equal("false", panel.Find("[data-testid=decision-panel]").GetAttribute("aria-busy")), Patience);
        return panel;
    }

    /// <summary>A tier-2 change whose head is commit A (revision 2), open in the panel of Riley the reviewer.</summary>
    private async Task<(Change Change, IRenderedComponent<DecisionPanel> Panel)> ReviewerOnCommitAAsync()
    {
        var created = await _kit.Tier2Async();
        await _kit.PushAsync(created.Id, CommitA);
        SignInAs(await _kit.PrincipalAsync(DemoLogin.Reviewer), PortalRoles.Reviewer);
        var change = await _kit.ReadAsync(created.Id);
        return (change, RenderPanel(change));
    }

    private IElement InDialog(string testId) => _dialogs.Find($"[data-testid={testId}]");

    /// <summary>The panel's message once the decision service answered (on the test database, which may be slow).</summary>
    private static string Outcome(IRenderedComponent<DecisionPanel> panel) =>
        Text(panel.WaitForElement("[data-testid=decision-message]", Patience));

    [Fact]
    public async Task Approving_asks_to_confirm_the_commit_and_records_the_approval_on_the_confirmed_commit_and_revision()
    {
        var (change, panel) = await ReviewerOnCommitAAsync();

        panel.Find("[data-testid=approve-button]").Click();
        _dialogs.WaitForElement("[data-testid=approval-confirmation]", Patience);
        Assert.Equal("e05b042", InDialog("approval-commit").TextContent);
        Assert.Equal("With your approval the tier policy is satisfied and the change is approved.", InDialog("approval-effect").TextContent);
        Assert.Empty((await _kit.ReadAsync(change.Id)).Decisions);
        InDialog("approval-confirm").Click();

        Assert.Equal("You approved e05b042. The change is approved.", Outcome(panel));
        Assert.Contains(("You approved e05b042. The change is approved.", Severity.Success), Snackbars);
        var decision = Assert.Single((await _kit.ReadAsync(change.Id)).Decisions);
        Assert.Equal((DecisionKind.Approve, 2, CommitA), (decision.Kind, decision.RevisionNumber, decision.CommitSha));
        _dialogs.WaitForAssertion(() => Assert.Empty(_dialogs.FindAll("[data-testid=approval-confirmation]")), Patience);
    }

    [Fact]
    public async Task Cancelling_the_confirmation_records_nothing()
    {
        var (change, panel) = await ReviewerOnCommitAAsync();

        panel.Find("[data-testid=approve-button]").Click();
        _dialogs.WaitForElement("[data-testid=approval-cancel]", Patience).Click();

        _dialogs.WaitForAssertion(() => Assert.Empty(_dialogs.FindAll("[data-testid=approval-confirmation]")), Patience);
        Assert.Empty(panel.FindAll("[data-testid=decision-message]"));
        Assert.Empty(Snackbars);
        Assert.Empty((await _kit.ReadAsync(change.Id)).Decisions);
    }

    [Fact]
    [Trait("Category", "DecisionIntegrity")]
    public async Task A_commit_arriving_while_the_dialog_is_open_changes_its_text_and_approving_then_is_refused_with_what_arrived()
    {
        var (change, panel) = await ReviewerOnCommitAAsync();
        panel.Find("[data-testid=approve-button]").Click();
        _dialogs.WaitForElement("[data-testid=approval-effect]", Patience);

        // Commit B lands; the page's live reload hands the panel the change as it is now.
        await _kit.PushAsync(change.Id, CommitB);
        var reloaded = await _kit.ReadAsync(change.Id);
        panel.Render(p => p.Add(x => x.Change, reloaded));

        _dialogs.WaitForAssertion(() => Assert.Equal(
            "Meanwhile commit 343b7b8 arrived. Approving e05b042 now records nothing: cancel, review the changes since, then decide.", Text(InDialog("approval-head-moved"))), Patience);
        Assert.Empty(_dialogs.FindAll("[data-testid=approval-effect]"));
        Assert.Equal("e05b042", InDialog("approval-commit").TextContent);
        Assert.Equal("Approve e05b042", Text(InDialog("approval-confirm")));
        InDialog("approval-confirm").Click();

        const string Refused = "Commit 343b7b8 arrived while you were confirming e05b042: review the changes since, then decide.";
        Assert.StartsWith(Refused, Outcome(panel), StringComparison.Ordinal);
        Assert.Equal($"/changes/{change.Id}?revision=3&since=2", panel.Find("[data-testid=decision-changes-since]").GetAttribute("href"));
        Assert.Contains((Refused, Severity.Error), Snackbars);
        Assert.Empty((await _kit.ReadAsync(change.Id)).Decisions);
    }

    [Theory]
    [InlineData(DecisionKind.Reject, "reject-button", "Reason is required: say why you reject this commit.", "You rejected e05b042.")]
    [InlineData(DecisionKind.RequestChanges, "request-changes-button", "Reason is required: say what to change.", "You requested changes on e05b042.")]
    public async Task A_rejection_or_a_request_for_changes_asks_for_the_reason_and_is_not_sent_without_one(DecisionKind kind, string button, string required, string recorded)
    {
        var (change, panel) = await ReviewerOnCommitAAsync();

        panel.Find($"[data-testid={button}]").Click();
        _dialogs.WaitForElement("[data-testid=reason-confirm]", Patience).Click();

        _dialogs.WaitForAssertion(() => Assert.Contains(required, _dialogs.Find("[data-testid=reason-dialog]").TextContent, StringComparison.Ordinal), Patience);
        Assert.Equal("e05b042", InDialog("reason-commit").TextContent);
        Assert.Empty(Snackbars);
        Assert.Empty((await _kit.ReadAsync(change.Id)).Decisions);

        _dialogs.Find("textarea#decision-reason-dialog").Input("The join drops invoices without a customer.");
        InDialog("reason-confirm").Click();

        Assert.Equal(recorded, Outcome(panel));
        Assert.Contains((recorded, Severity.Success), Snackbars);
        var decision = Assert.Single((await _kit.ReadAsync(change.Id)).Decisions);
        Assert.Equal((kind, 2, CommitA, "The join drops invoices without a customer."), (decision.Kind, decision.RevisionNumber, decision.CommitSha, decision.Reason));
    }

    [Fact]
    public async Task The_reason_starts_from_the_comment_written_in_the_panel()
    {
        var (_, panel) = await ReviewerOnCommitAAsync();

        panel.Find("textarea#decision-reason").Change("Name the customer column.");
        panel.Find("[data-testid=request-changes-button]").Click();

        Assert.Equal("Name the customer column.", _dialogs.WaitForElement("textarea#decision-reason-dialog", Patience).GetAttribute("value"));
    }

    [Fact]
    [Trait("Category", "DecisionIntegrity")]
    public async Task A_rejection_written_on_the_pinned_head_is_sent_on_it_after_another_commit_arrived_and_refused()
    {
        var (change, panel) = await ReviewerOnCommitAAsync();
        await _kit.PushAsync(change.Id, CommitB);
        var reloaded = await _kit.ReadAsync(change.Id);
        panel.Render(p => p.Add(x => x.Change, reloaded));
        Assert.StartsWith("Commit 343b7b8 arrived while you were reviewing e05b042: review the changes since, then decide.", Text(panel.Find("[data-testid=decision-head-moved]")), StringComparison.Ordinal);

        panel.Find("[data-testid=reject-button]").Click();
        Assert.Equal("e05b042", _dialogs.WaitForElement("[data-testid=reason-commit]", Patience).TextContent);
        _dialogs.Find("textarea#decision-reason-dialog").Input("Five minutes is too short.");
        InDialog("reason-confirm").Click();

        Assert.StartsWith("Commit 343b7b8 arrived while you were confirming e05b042", Outcome(panel), StringComparison.Ordinal);
        Assert.Empty((await _kit.ReadAsync(change.Id)).Decisions);
    }

    [Fact]
    public async Task The_prompter_sees_approve_off_with_the_reason_and_can_still_reject_or_send_back()
    {
        SignInAs(await _kit.PrincipalAsync(DemoLogin.Dana), PortalRoles.Reviewer);
        var panel = RenderPanel(ReviewTestChanges.NewChange(RiskTier.Medium));

        var approve = panel.Find("[data-testid=approve-button]");
        Assert.True(approve.HasAttribute("disabled"));
        Assert.Equal("You prompted this change, so you cannot approve it.", panel.Find($"#{approve.GetAttribute("aria-describedby")}").TextContent);
        Assert.False(panel.Find("[data-testid=reject-button]").HasAttribute("disabled"));
        Assert.False(panel.Find("[data-testid=request-changes-button]").HasAttribute("disabled"));
        Assert.Equal("Comment", panel.Find("label[for=decision-reason]").TextContent.Trim());
        Assert.NotNull(panel.Find("textarea#decision-reason"));
    }

    [Fact]
    public async Task A_reviewer_on_the_head_may_use_every_button()
    {
        SignInAs(await _kit.PrincipalAsync(DemoLogin.Reviewer), PortalRoles.Reviewer);
        var panel = RenderPanel(ReviewTestChanges.NewChange(RiskTier.Medium));

        var buttons = panel.FindAll("button[data-testid$=-button]");
        Assert.Equal(3, buttons.Count);
        Assert.All(buttons, b => Assert.False(b.HasAttribute("disabled")));
        Assert.Equal("On the head, revision 1 (abc1234).", panel.Find("[data-testid=decision-head]").TextContent);
    }

    [Theory]
    [InlineData(PortalRoles.Manager, RiskTier.Medium, "Only reviewers and security reviewers decide on changes.")]
    [InlineData(PortalRoles.Reviewer, RiskTier.Critical, "Only security reviewers decide on tier-4 changes.")]
    public async Task Someone_who_may_not_decide_sees_why_and_no_buttons(string role, RiskTier tier, string reason)
    {
        SignInAs(await _kit.PrincipalAsync(role == PortalRoles.Manager ? DemoLogin.Manager : DemoLogin.Reviewer), role);
        var panel = RenderPanel(ReviewTestChanges.NewChange(tier));

        Assert.Equal(reason, panel.Find("[data-testid=decision-unavailable]").TextContent);
        Assert.Empty(panel.FindAll("button[data-testid]"));
    }

    [Fact]
    public async Task Looking_at_an_older_revision_points_to_the_changes_since_and_nothing_can_be_decided_there()
    {
        SignInAs(await _kit.PrincipalAsync(DemoLogin.Reviewer), PortalRoles.Reviewer);
        var panel = RenderPanel(ReviewTestChanges.NewChange(RiskTier.Medium, revisions: 3), revision: 1);

        Assert.Equal("/changes/7?revision=3&since=1", panel.Find("[data-testid=decision-older-revision] a").GetAttribute("href"));
        Assert.Contains("Revision 3 (abc1234) is the head now, and you are looking at revision 1.", panel.Find("[data-testid=decision-unavailable]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "DecisionIntegrity")]
    public async Task A_commit_arriving_past_the_head_the_reviewer_read_is_announced_and_the_buttons_still_send_the_pinned_commit()
    {
        SignInAs(await _kit.PrincipalAsync(DemoLogin.Reviewer), PortalRoles.Reviewer);
        var panel = RenderPanel(ReviewTestChanges.NewChange(RiskTier.Medium, revisions: 2), pinnedHead: new DecisionTarget(1, "e05b042aaaaaaa"));

        var notice = panel.Find("[data-testid=decision-head-moved]");
        Assert.Equal("Commit abc1234 arrived while you were reviewing e05b042: review the changes since, then decide. Review the changes since revision 1", Text(notice));
        Assert.Equal("/changes/7?revision=2&since=1", notice.QuerySelector("a")?.GetAttribute("href"));
        Assert.Empty(panel.FindAll("[data-testid=decision-older-revision]"));
        // Clickable: the click sends the pinned commit, and the server's refusal names the one that arrived.
        Assert.False(panel.Find("[data-testid=reject-button]").HasAttribute("disabled"));
        Assert.False(panel.Find("[data-testid=approve-button]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task An_automatically_approved_change_offers_the_veto_and_not_another_approval()
    {
        SignInAs(await _kit.PrincipalAsync(DemoLogin.Reviewer), PortalRoles.Reviewer);
        var change = ReviewTestChanges.NewChange(RiskTier.Low);
        change.Decisions.Add(ReviewTestChanges.Automatic());
        change.State = ChangeState.Approved;

        var panel = RenderPanel(change);

        Assert.NotNull(panel.Find("[data-testid=decision-veto-note]"));
        Assert.True(panel.Find("[data-testid=approve-button]").HasAttribute("disabled"));
        Assert.False(panel.Find("[data-testid=reject-button]").HasAttribute("disabled"));
    }

    /// <summary>The text as a browser shows it: runs of white space are one space.</summary>
    private static string Text(IElement element) => string.Join(' ', element.TextContent.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
