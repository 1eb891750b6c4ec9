using ReviewPortal.Domain.Decisions;
using ReviewPortal.Domain.Policy;

namespace ReviewPortal.Domain.People;

/// <summary>
/// A signed-in person as the portal judges them: their account and the roles the user store holds now. The one
/// identity claiming, assignment, visibility and the tier policy all check; built from the database, never from a
/// circuit's cached principal.
/// </summary>
public sealed record Reviewer(string UserId, string UserName, string? Email, IReadOnlySet<string> Roles, string? DisplayName = null)
{
    /// <summary>How pages and decisions name the person: their display name, else their user name.</summary>
    public string Name => string.IsNullOrWhiteSpace(DisplayName) ? UserName : DisplayName;

    /// <summary>The identity provider's groups the person held at their last sign-in (or the last re-read of them).</summary>
    public IReadOnlyCollection<string> ProviderGroups { get; init; } = [];

    /// <summary>What approval quorums count the person by, and what their decision is stored with: roles and provider groups.</summary>
    public IReadOnlySet<string> Groups => QuorumGroups.Combine(Roles, ProviderGroups);

    public bool IsSecurityReviewer => Roles.Contains(PortalRoles.SecurityReviewer);

    /// <summary>Reviewers and security reviewers work on changes; managers and admins only look.</summary>
    public bool ReviewsChanges => Roles.Contains(PortalRoles.Reviewer) || IsSecurityReviewer;

    /// <summary>Whether this person wrote or prompted the change.</summary>
    public bool IsAuthorOrPrompter(string author, string? prompter) =>
        PersonIdentity.Matches(UserName, Email, author) || PersonIdentity.Matches(UserName, Email, prompter);
}
