namespace ReviewPortal.Domain.Decisions;

/// <summary>The portal's roles: reviewers, security reviewers (tier 4), managers and admins.</summary>
public static class PortalRoles
{
    public const string Reviewer = "Reviewer";
    public const string SecurityReviewer = "SecurityReviewer";
    public const string Manager = "Manager";
    public const string Admin = "Admin";

    public static IReadOnlyList<string> All { get; } = [Reviewer, SecurityReviewer, Manager, Admin];

    /// <summary>Roles that may decide on changes.</summary>
    public const string Deciders = Reviewer + "," + SecurityReviewer;
}
