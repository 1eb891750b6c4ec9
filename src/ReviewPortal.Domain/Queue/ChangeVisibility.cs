using ReviewPortal.Domain.Decisions;
using ReviewPortal.Domain.Risk;

namespace ReviewPortal.Domain.Queue;

/// <summary>
/// Who may see a change: tier-4 changes only security reviewers, and the API client that
/// submitted the change; tiers 1-3 anyone signed in and any API client.
/// </summary>
public static class ChangeVisibility
{
    public static bool CanUserView(RiskTier tier, IReadOnlySet<string> roles)
    {
        ArgumentNullException.ThrowIfNull(roles);
        return tier != RiskTier.Critical || roles.Contains(PortalRoles.SecurityReviewer);
    }

    public static bool CanApiClientView(RiskTier tier, string clientName, string submittedBy) =>
        tier != RiskTier.Critical || string.Equals(clientName, submittedBy, StringComparison.Ordinal);
}
