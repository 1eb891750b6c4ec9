using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Options;
using Radzen;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Domain.Policy;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Features.Decisions;

namespace ReviewPortal.Web.Features.Review;

/// <summary>
/// Approve (after a confirmation naming the commit), request changes or reject, with a comment. What the signed-in
/// reviewer may do is shown from the circuit's identity, with the reason when a button is off; the server checks
/// again at the moment of the decision (<see cref="DecisionService"/>), and that check is the one that counts.
/// </summary>
public partial class DecisionPanel
{
    // Until the signed-in user is known (a moment on the first render), nothing is offered.
    private static readonly DecisionCheck NotYetKnown = DecisionCheck.Deny("Checking what you may decide…");

    private string? comment;
    private DecisionOutcome? outcome;
    private bool busy;
    private bool vetoable;
    private DecisionCheck approve = NotYetKnown;
    private DecisionCheck requestChanges = NotYetKnown;
    private DecisionCheck reject = NotYetKnown;
    private List<(string Id, string Reason)> blockedReasons = [];
    private ReviewSubject subject = default!;
    private Decider decider = default!;
    // The head named by the open approval dialog, while it is open.
    private DecisionTarget? confirming;

    /// <summary>The change with its decisions and events loaded (as <see cref="ReviewQuery"/> loads it).</summary>
    [Parameter, EditorRequired]
    public Change Change { get; set; } = default!;

    /// <summary>
    /// The revision and commit the reviewer navigated to, pinned by the page for as long as they stay there (a live
    /// reload never moves it): every decision is sent on this one, and the server refuses it once it is not the head.
    /// </summary>
    [Parameter, EditorRequired]
    public DecisionTarget Target { get; set; } = default!;

    /// <summary>Whether <see cref="Target"/> was the head when the reviewer navigated to it (rather than an older revision they chose).</summary>
    [Parameter]
    public bool TargetWasHead { get; set; }

    /// <summary>Raised after every attempt, so the page reloads what is now true (also after a lost race).</summary>
    [Parameter]
    public EventCallback OnDecided { get; set; }

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    [Inject]
    private DecisionService Decisions { get; set; } = default!;

    [Inject]
    private DialogService Dialogs { get; set; } = default!;

    [Inject]
    private IOptionsMonitor<ReviewPolicyOptions> Policy { get; set; } = default!;

    [Inject]
    private ILogger<DecisionPanel> Logger { get; set; } = default!;

    private bool LooksAtOlderRevision => !TargetWasHead && Target.Revision >= 1 && Target.Revision < Change.RevisionCount;

    /// <summary>Another commit arrived while the reviewer was reading the head they navigated to.</summary>
    private bool HeadMovedPastTarget => TargetWasHead && !subject.IsHead(Target);

    /// <summary>
    /// What the buttons are judged on. Once the head moved past the target they stay as the head allows (the notice says
    /// what arrived), and a click still sends <see cref="Target"/>: the server refuses it and says so again.
    /// </summary>
    private DecisionTarget Judged => HeadMovedPastTarget ? subject.Head : Target;

    private bool CanDecideAnything => approve.Allowed || requestChanges.Allowed || reject.Allowed;

    private string? UnavailableReason => approve.Reason ?? reject.Reason;

    protected override async Task OnParametersSetAsync()
    {
        var user = (await AuthenticationState).User;
        decider = PolicySubjects.FromPrincipal(user);
        var options = Policy.CurrentValue;
        subject = PolicySubjects.From(Change);
        approve = ReviewPolicy.MayDecide(options, subject, decider, DecisionKind.Approve, Judged);
        requestChanges = ReviewPolicy.MayDecide(options, subject, decider, DecisionKind.RequestChanges, Judged);
        reject = ReviewPolicy.MayDecide(options, subject, decider, DecisionKind.Reject, Judged);
        if (outcome is not null)
        {
            outcome = DecisionService.AsOf(outcome, subject, options);
        }

        if (confirming is not null && !subject.IsHead(confirming))
        {
            // The open dialog keeps the commit it names, and now says that another one arrived (approving it is refused).
            Dialogs.Refresh();
        }

        vetoable = Change.State == ChangeState.Approved && reject.Allowed;
        blockedReasons = new[] { approve, requestChanges, reject }
            .Where(c => !c.Allowed)
            .Select(c => c.Reason!)
            .Distinct(StringComparer.Ordinal)
            .Select((reason, i) => (string.Create(CultureInfo.InvariantCulture, $"decision-blocked-{i}"), reason))
            .ToList();
    }

    private string? ReasonId(DecisionCheck check) =>
        check.Allowed ? null : blockedReasons.FirstOrDefault(b => string.Equals(b.Reason, check.Reason, StringComparison.Ordinal)).Id;

    private string ChangesSinceLink(int since) => ReviewLinks.ChangesSince(Change.Id, Change.RevisionCount, since);

    /// <summary>A stray keystroke (the keyboard shortcut clicks this button) must never approve: the reviewer confirms the commit first.</summary>
    /// <remarks>
    /// The commit is captured as the dialog opens and the approval is made on that one, whatever arrives while the
    /// dialog is open: the server then refuses it and says what arrived.
    /// </remarks>
    private async Task ConfirmApprovalAsync()
    {
        var target = Target;
        var yours = new RecordedDecision(DecisionKind.Approve, decider.UserId, decider.UserName, decider.Email, [.. decider.Roles], target.Revision, target.Commit, DateTimeOffset.MaxValue);
        var after = ReviewPolicy.Evaluate(Policy.CurrentValue, subject with { Decisions = [.. subject.Decisions, yours] });
        confirming = target;
        object? confirmed;
        try
        {
            confirmed = await Dialogs.OpenAsync<ApprovalConfirmation>(
                $"Approve {target.Label}?",
                new Dictionary<string, object?>(StringComparer.Ordinal)
                {
                    [nameof(ApprovalConfirmation.Target)] = target,
                    [nameof(ApprovalConfirmation.Arrived)] = (Func<string?>)(() => subject.IsHead(target) ? null : subject.HeadNoun),
                    [nameof(ApprovalConfirmation.Title)] = Change.Title,
                    [nameof(ApprovalConfirmation.StillNeeded)] = after.Needs.Select(n => n.Description).ToList(),
                },
                new DialogOptions { ShowClose = true, CloseDialogOnEsc = true, AutoFocusFirstElement = true, Width = "34rem" });
        }
        finally
        {
            confirming = null;
        }

        if (confirmed is true)
        {
            await DecideAsync(DecisionKind.Approve, target);
        }
    }

    private async Task DecideAsync(DecisionKind kind, DecisionTarget target)
    {
        busy = true;
        outcome = null;
        try
        {
            var user = (await AuthenticationState).User;
            outcome = await Decisions.DecideAsync(Change.Id, user, target, kind, comment);
            if (outcome.Succeeded)
            {
                comment = null;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogError(ex, "Recording a {Kind} decision on change {ChangeId} failed.", kind, Change.Id);
            outcome = DecisionOutcome.Fail("Your decision could not be recorded: the portal could not reach its database. Nothing was saved; try again in a moment.");
        }
        finally
        {
            busy = false;
        }

        await OnDecided.InvokeAsync();
    }
}
