using ReviewPortal.Domain.Decisions;
using ReviewPortal.Domain.Policy;
using ReviewPortal.Domain.Risk;
using ReviewPortal.Domain.People;

namespace ReviewPortal.Domain.Queue;

/// <summary>The facts of a change that claiming and assignment are checked against.</summary>
public sealed record ClaimSubject(RiskTier Tier, ChangeState State, string Author, string? Prompter, string? AssignedToId, string? AssignedToName);

/// <summary>
/// Who may work on a change: reviewers and security reviewers, tier 4 only security reviewers, never its author or
/// prompter (who cannot approve it either), and only while it is open (pending or waiting for the author).
/// </summary>
public static class ReviewerClaims
{
    /// <summary>Whether <paramref name="reviewer"/> may hold <paramref name="subject"/> at all, whoever holds it now.</summary>
    public static DecisionCheck CanHold(ClaimSubject subject, Reviewer reviewer)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(reviewer);
        if (!reviewer.ReviewsChanges)
        {
            return DecisionCheck.Deny("Only reviewers and security reviewers can claim changes.");
        }

        if (subject.Tier == RiskTier.Critical && !reviewer.IsSecurityReviewer)
        {
            return DecisionCheck.Deny("Only security reviewers can claim a tier-4 change.");
        }

        if (reviewer.IsAuthorOrPrompter(subject.Author, subject.Prompter))
        {
            return DecisionCheck.Deny("You wrote or prompted this change, so someone else must review it.");
        }

        return DecisionCheck.Allow;
    }

    /// <summary>
    /// Whether <paramref name="reviewer"/> may claim <paramref name="subject"/> now. <paramref name="holderMayKeepIt"/>
    /// says whether its current assignee (if any) may still hold it: one who may not (a tier rose to 4 under a plain
    /// reviewer) does not block a claim.
    /// </summary>
    public static DecisionCheck CanClaim(ClaimSubject subject, Reviewer reviewer, bool holderMayKeepIt)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(reviewer);
        if (subject.State is ChangeState.Approved or ChangeState.Rejected)
        {
            return DecisionCheck.Deny($"This change is already {subject.State.ToString().ToLowerInvariant()}.");
        }

        var hold = CanHold(subject, reviewer);
        if (!hold.Allowed)
        {
            return hold;
        }

        if (subject.AssignedToId is not null && !string.Equals(subject.AssignedToId, reviewer.UserId, StringComparison.Ordinal) && holderMayKeepIt)
        {
            return DecisionCheck.Deny($"{subject.AssignedToName ?? "Another reviewer"} has this change.");
        }

        return DecisionCheck.Allow;
    }

    public static DecisionCheck CanRelease(ClaimSubject subject, Reviewer reviewer)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(reviewer);
        if (subject.AssignedToId is null)
        {
            return DecisionCheck.Deny("Nobody has this change.");
        }

        return string.Equals(subject.AssignedToId, reviewer.UserId, StringComparison.Ordinal)
            ? DecisionCheck.Allow
            : DecisionCheck.Deny($"Only {subject.AssignedToName ?? "its assignee"}, who has this change, can release it.");
    }
}
