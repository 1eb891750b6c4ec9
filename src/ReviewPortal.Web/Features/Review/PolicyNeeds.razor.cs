using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using ReviewPortal.Domain.Policy;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Features.Decisions;

namespace ReviewPortal.Web.Features.Review;

/// <summary>
/// For the review page's header: what the change's tier policy requires, and what it still needs on the head commit
/// ("1 more security reviewer approval on abc1234", "a rollback plan with blast radius"), or that it is satisfied.
/// </summary>
public partial class PolicyNeeds
{
    private ReviewSubject subject = default!;
    private ApprovalStatus status = default!;
    private AutomaticApprovalVerdict automatic = AutomaticApprovalVerdict.NotApplicable;
    private string requirement = "";

    /// <summary>The change with its decisions and events loaded (as <see cref="ReviewQuery"/> loads it).</summary>
    [Parameter, EditorRequired]
    public Change Change { get; set; } = default!;

    /// <summary>The paths the head revision touches, which decide the path quorums that apply (<see cref="ReviewModel.HeadPaths"/>).</summary>
    [Parameter]
    public IReadOnlyList<string> HeadPaths { get; set; } = [];

    [Inject]
    private IOptionsMonitor<ReviewPolicyOptions> Policy { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    private bool ShowAutomatic => automatic.Applies && subject.State == Domain.Decisions.ChangeState.Pending;

    protected override void OnParametersSet()
    {
        var options = Policy.CurrentValue;
        subject = PolicySubjects.From(Change, headPaths: HeadPaths);
        status = ReviewPolicy.Evaluate(options, subject);
        automatic = ReviewPolicy.EvaluateAutomaticApproval(options, subject, Clock.GetUtcNow());
        requirement = PolicyText.Requirement(options, Change.Tier);
    }

    private string SatisfiedText() =>
        status.AutomaticApproval is not null && status.CountedApprovals.Count == 0
            ? $"Satisfied: approved automatically on {subject.HeadLabel}."
            : $"Satisfied: approved by {string.Join(" and ", status.CountedApprovals.Select(a => a.DeciderName))} on {subject.HeadLabel}.";

    private string AutomaticText() =>
        automatic.IsEligible
            ? "or automatic approval: all checks pass and the wait is over, so the portal approves it at its next check"
            : $"or automatic approval, which waits because {string.Join("; ", automatic.Unmet)}";

    private string StaleText()
    {
        var count = status.StaleApprovals.Count;
        return string.Create(CultureInfo.InvariantCulture, $"{count} earlier approval{(count == 1 ? " no longer counts" : "s no longer count")}: given on an earlier commit, or reset by a rise in tier.");
    }
}
