using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Options;
using MudBlazor;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Domain.Policy;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Features.Decisions;
using ReviewPortal.Domain.People;
using ReviewPortal.Web.Features.Shared;

namespace ReviewPortal.Web.Features.Review;

/// <summary>
/// Approve (after a confirmation naming the commit), request changes or reject (after a dialog asking for the reason),
/// with a comment; the outcome stays in the panel and is announced in a snackbar. What the signed-in
/// reviewer may do is shown from the circuit's identity, with the reason when a button is off; the server checks
/// again at the moment of the decision (<see cref="DecisionService"/>), and that check is the one that counts.
/// </summary>
public partial class DecisionPanel
{
    // Until the signed-in user is known (a moment on the first render), nothing is offered.
    private static readonly DecisionCheck NotYetKnown = DecisionCheck.Deny("Checking what you may decide…");
    private static readonly DialogOptions DialogOptions = new() { CloseOnEscapeKey = true, CloseButton = true, MaxWidth = MaxWidth.Small, FullWidth = true };

    private string? comment;
    private DecisionOutcome? outcome;
    private bool busy;
    private bool vetoable;
    private DecisionCheck approve = NotYetKnown;
    private DecisionCheck requestChanges = NotYetKnown;
    private DecisionCheck reject = NotYetKnown;
    private List<(string Id, string Reason)> blockedReasons = [];
    private ReviewSubject subject = default!;
    // Null until the person is read from the database (the panel is busy till then).
    private Reviewer? decider;
    // The open approval dialog and the head it names, while it is open.
    private (IDialogReference Dialog, DecisionTarget Target)? confirming;

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

    /// <summary>The paths the head revision touches, which decide the path quorums that apply (<see cref="ReviewModel.HeadPaths"/>).</summary>
    [Parameter]
    public IReadOnlyList<string> HeadPaths { get; set; } = [];

    /// <summary>Raised after every attempt, so the page reloads what is now true (also after a lost race).</summary>
    [Parameter]
    public EventCallback OnDecided { get; set; }

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    // Someone the database no longer knows (account removed or locked): the policy offers them nothing.
    private static readonly Reviewer Nobody = new("", "", null, new HashSet<string>(StringComparer.Ordinal));

    [Inject]
    private DecisionService Decisions { get; set; } = default!;

    [Inject]
    private CurrentReviewer Reviewers { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [Inject]
    private IOptionsMonitor<ReviewPolicyOptions> Policy { get; set; } = default!;

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
        var options = Policy.CurrentValue;
        subject = PolicySubjects.From(Change, headPaths: HeadPaths);
        decider = await Reviewers.GetAsync((await AuthenticationState).User) ?? Nobody;
        approve = ReviewPolicy.MayDecide(options, subject, decider, DecisionKind.Approve, Judged);
        requestChanges = ReviewPolicy.MayDecide(options, subject, decider, DecisionKind.RequestChanges, Judged);
        reject = ReviewPolicy.MayDecide(options, subject, decider, DecisionKind.Reject, Judged);
        if (outcome is not null)
        {
            outcome = DecisionService.AsOf(outcome, subject, options);
        }

        if (confirming is { } open && !subject.IsHead(open.Target) && open.Dialog.Dialog is ApprovalConfirmation dialog)
        {
            // The open dialog keeps the commit it names, and now says that another one arrived (approving it is refused).
            await dialog.RefreshAsync();
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
        var yours = new RecordedDecision(DecisionKind.Approve, decider!.UserId, decider.UserName, decider.Email, [.. decider.Roles], target.Revision, target.Commit, DateTimeOffset.MaxValue, Groups: [.. decider.Groups]);
        var after = ReviewPolicy.Evaluate(Policy.CurrentValue, subject with { Decisions = [.. subject.Decisions, yours] });
        var dialog = await Dialogs.ShowAsync<ApprovalConfirmation>($"Approve {target.Label}?", new DialogParameters<ApprovalConfirmation>
        {
            { d => d.Target, target },
            { d => d.Arrived, () => subject.IsHead(target) ? null : subject.HeadNoun },
            { d => d.Title, Change.Title },
            { d => d.StillNeeded, after.Needs.Select(n => n.Description).ToList() },
        }, DialogOptions);
        confirming = (dialog, target);
        var result = await dialog.Result;
        confirming = null;
        if (result is { Canceled: false })
        {
            await DecideAsync(DecisionKind.Approve, target, comment);
        }
    }

    /// <summary>A rejection or a request for changes is sent only with its reason, on the revision the reviewer navigated to.</summary>
    private async Task AskReasonAsync(DecisionKind kind)
    {
        var target = Target;
        var title = kind == DecisionKind.Reject ? $"Reject {target.Label}?" : $"Request changes on {target.Label}?";
        var dialog = await Dialogs.ShowAsync<DecisionReasonDialog>(title, new DialogParameters<DecisionReasonDialog>
        {
            { d => d.Kind, kind },
            { d => d.Target, target },
            { d => d.Reason, comment },
        }, DialogOptions);
        if (await dialog.Result is { Canceled: false, Data: string reason })
        {
            comment = reason;
            await DecideAsync(kind, target, reason);
        }
    }

    /// <summary>
    /// Refusals (the policy, a commit that arrived, a lost race) come back as outcomes and are shown here; anything else
    /// is unexpected and left to the page's error boundary.
    /// </summary>
    private async Task DecideAsync(DecisionKind kind, DecisionTarget target, string? reason)
    {
        busy = true;
        outcome = null;
        try
        {
            var user = (await AuthenticationState).User;
            outcome = await Decisions.DecideAsync(Change.Id, user, target, kind, reason);
        }
        finally
        {
            busy = false;
        }

        if (outcome.Succeeded)
        {
            comment = null;
        }

        Snackbar.Add(outcome.Message, outcome.Succeeded ? Severity.Success : Severity.Error);
        await OnDecided.InvokeAsync();
    }
}
