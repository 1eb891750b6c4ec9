using ReviewPortal.Domain.Risk;
using ReviewPortal.Domain.People;

namespace ReviewPortal.Domain.Queue;

/// <summary>Which tiers are assigned automatically, and to whom.</summary>
public sealed record AssignmentRules(IReadOnlySet<RiskTier> Tiers, bool SecurityReviewersTakeTiers1To3)
{
    /// <summary>
    /// Tiers 2-4: tier 1 is approved automatically once its checks pass, so a person is not handed it. Security
    /// reviewers keep to tier 4 (the scarce people on the shortest SLA); they can still claim lower tiers by hand.
    /// </summary>
    public static AssignmentRules Default { get; } = new(new HashSet<RiskTier> { RiskTier.Medium, RiskTier.High, RiskTier.Critical }, SecurityReviewersTakeTiers1To3: false);
}

/// <summary>A reviewer and how many open changes they hold now.</summary>
public sealed record AssignmentCandidate(Reviewer Reviewer, int OpenAssignments);

/// <summary>
/// Least-loaded among the eligible: tier 4 security reviewers; tiers 1-3 reviewers (and security reviewers only
/// if the rules say so); never the change's author or prompter. Ties go to the user name first in ordinal order,
/// then the user id, so the same state always gives the same answer.
/// </summary>
public static class ReviewerAssignment
{
    public static bool IsEligible(ClaimSubject subject, Reviewer reviewer, AssignmentRules rules)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(reviewer);
        ArgumentNullException.ThrowIfNull(rules);
        if (!ReviewerClaims.CanHold(subject, reviewer).Allowed)
        {
            return false;
        }

        return subject.Tier == RiskTier.Critical
            || reviewer.Roles.Contains(Decisions.PortalRoles.Reviewer)
            || rules.SecurityReviewersTakeTiers1To3;
    }

    public static AssignmentCandidate? Choose(ClaimSubject subject, IEnumerable<AssignmentCandidate> candidates, AssignmentRules rules)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        return candidates
            .Where(c => IsEligible(subject, c.Reviewer, rules))
            .OrderBy(c => c.OpenAssignments)
            .ThenBy(c => c.Reviewer.UserName, StringComparer.Ordinal)
            .ThenBy(c => c.Reviewer.UserId, StringComparer.Ordinal)
            .FirstOrDefault();
    }
}
