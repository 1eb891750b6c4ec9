namespace ReviewPortal.Domain.Policy;

/// <summary>
/// How a change's author or prompter (free text from the SCM or the agent's bundle) is matched to a portal account:
/// by user name or email, ignoring case and surrounding spaces. One rule, so claiming and deciding never disagree on who wrote a change.
/// </summary>
public static class PersonIdentity
{
    public static bool Matches(string? userName, string? email, string? identity) =>
        !string.IsNullOrWhiteSpace(identity)
        && (string.Equals(userName?.Trim(), identity.Trim(), StringComparison.OrdinalIgnoreCase)
            || string.Equals(email?.Trim(), identity.Trim(), StringComparison.OrdinalIgnoreCase));
}
