namespace ReviewPortal.Domain.Decisions;

/// <summary>Who is deciding, as re-read from the user store at the moment of the decision.</summary>
public sealed record Decider(string UserName, string? Email, IReadOnlySet<string> Roles);

/// <summary>The facts of the change that a decision is checked against.</summary>
public sealed record DecisionSubject(ChangeState State, string Author, string? Prompter);

public sealed record DecisionCheck(bool Allowed, string? Reason)
{
    public static DecisionCheck Allow { get; } = new(true, null);

    public static DecisionCheck Deny(string reason) => new(false, reason);
}

/// <summary>
/// The decision rules that hold for every tier (PRODUCT.md step 5): only reviewers decide, a rejection
/// carries a reason, the change's author or prompter cannot approve it, and a decided change stays decided.
/// </summary>
public static class DecisionPolicy
{
    public const int MaxReasonLength = 4000;

    public static DecisionCheck Check(DecisionSubject subject, Decider decider, DecisionKind kind, string? reason)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(decider);

        if (!decider.Roles.Contains(PortalRoles.Reviewer) && !decider.Roles.Contains(PortalRoles.SecurityReviewer))
        {
            return DecisionCheck.Deny("Only reviewers and security reviewers can decide on changes.");
        }

        if (subject.State != ChangeState.Pending)
        {
            return DecisionCheck.Deny($"This change is already {subject.State.ToString().ToLowerInvariant()}.");
        }

        if (kind == DecisionKind.Reject && string.IsNullOrWhiteSpace(reason))
        {
            return DecisionCheck.Deny("A rejection needs a reason.");
        }

        if (reason is { Length: > MaxReasonLength })
        {
            return DecisionCheck.Deny($"The reason is longer than {MaxReasonLength} characters.");
        }

        if (kind == DecisionKind.Approve && (IsSamePerson(decider, subject.Author) || IsSamePerson(decider, subject.Prompter)))
        {
            return DecisionCheck.Deny("The author or prompter of a change cannot approve it.");
        }

        return DecisionCheck.Allow;
    }

    private static bool IsSamePerson(Decider decider, string? identity) =>
        !string.IsNullOrWhiteSpace(identity)
        && (string.Equals(decider.UserName, identity.Trim(), StringComparison.OrdinalIgnoreCase)
            || string.Equals(decider.Email, identity.Trim(), StringComparison.OrdinalIgnoreCase));
}
