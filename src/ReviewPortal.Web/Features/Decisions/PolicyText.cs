using System.Globalization;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Domain.Policy;
using ReviewPortal.Domain.Risk;

namespace ReviewPortal.Web.Features.Decisions;

/// <summary>The tier policy and decisions in the words the review page uses.</summary>
public static class PolicyText
{
    /// <summary>
    /// What the tier needs, e.g. "2 approvals by distinct security reviewers and a rollback plan with blast radius", or
    /// "1 security reviewer approval and 1 approval from legal (each a different person)".
    /// </summary>
    public static string Requirement(ReviewPolicyOptions options, RiskTier tier)
    {
        ArgumentNullException.ThrowIfNull(options);
        var requirement = options.For(tier);
        var seats = requirement.Seats();
        var parts = new List<string>
        {
            seats is [{ Count: > 1 } only]
                ? string.Create(CultureInfo.InvariantCulture, $"{only.Count} approvals by distinct {QuorumGroups.Plural(only.Group)}")
                : string.Join(" and ", seats.Select(Approvals)) + (seats.Count > 1 ? " (each a different person)" : ""),
        };
        if (requirement.RollbackPlanRequired || requirement.BlastRadiusRequired)
        {
            parts.Add(requirement.BlastRadiusRequired ? "a rollback plan with blast radius" : "a rollback plan");
        }

        var text = string.Join(" and ", parts);
        return requirement.AutomaticApproval && options.AutomaticApproval.Enabled
            ? $"{text}, or automatic approval once all checks pass and {Duration(options.AutomaticApproval.WaitPeriod)} has passed since the head arrived"
            : text;
    }

    private static string Approvals(QuorumSeats seats) =>
        QuorumGroups.IsPortalName(seats.Group)
            ? string.Create(CultureInfo.InvariantCulture, $"{seats.Count} {QuorumGroups.Noun(seats.Group)} approval{(seats.Count == 1 ? "" : "s")}")
            : string.Create(CultureInfo.InvariantCulture, $"{seats.Count} approval{(seats.Count == 1 ? "" : "s")} from {seats.Group}");

    public static string Revision(string? sha, int revision) => ReviewSubject.RevisionPhrase(sha, revision);

    public static string Past(DecisionKind kind, bool automatic) => kind switch
    {
        DecisionKind.Approve => automatic ? "Approved automatically" : "Approved",
        DecisionKind.Reject => "Rejected",
        _ => "Changes requested",
    };

    /// <summary>The decider's roles as people say them: "security reviewer", "reviewer".</summary>
    public static string Roles(IEnumerable<string> roles) =>
        string.Join(", ", roles.Select(r => r switch
        {
            PortalRoles.SecurityReviewer => "security reviewer",
            PortalRoles.Reviewer => "reviewer",
            _ => r.ToLowerInvariant(),
        }));

    public static string Time(DateTimeOffset at) => ReviewSubject.TimeLabel(at);

    public static string Duration(TimeSpan span) =>
        span.TotalHours >= 1 && span.Minutes == 0 ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalHours:0} h")
        : span.TotalMinutes >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{Math.Round(span.TotalMinutes):0} min")
        : string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0} s");
}
