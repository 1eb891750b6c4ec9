using System.Linq.Expressions;
using ReviewPortal.Domain.Risk;

namespace ReviewPortal.Domain.Queue;

/// <summary>
/// Who may see a change: tier-4 changes only security reviewers, and the API client that submitted the change; tiers
/// 1-3 anyone signed in and any API client; an API client limited by repository grants only its repositories'
/// changes. Written once, as an expression over a change's tier, submitter and repository, so that database queries
/// filter with it and checks on one change (a page, an endpoint, a live notification) evaluate the very same rule.
/// </summary>
public static class ChangeVisibility
{
    /// <summary>
    /// The rule for a viewer who sees every tier (<paramref name="seesCritical"/>) or, below that, tier-4 changes
    /// submitted by <paramref name="submitter"/> only (an API client's own; null for people), in
    /// <paramref name="repositories"/> only when they are given.
    /// </summary>
    public static Expression<Func<RiskTier, string, string, bool>> Rule(bool seesCritical, string? submitter, IReadOnlyCollection<string>? repositories)
    {
        var granted = repositories?.ToArray();
        return (tier, submittedBy, repository) =>
            (granted == null || granted.Contains(repository))
            && (tier != RiskTier.Critical || seesCritical || submittedBy == submitter);
    }
}
