namespace ReviewPortal.Domain.Provenance;

/// <summary>
/// Which changes count as agent-authored for one organisation: author accounts (patterns with <c>*</c>, ignoring
/// case, e.g. <c>*[bot]</c>) and labels (ignoring case).
/// </summary>
public sealed record AuthorshipPolicy(IReadOnlyList<string> AgentAccounts, IReadOnlyList<string> AgentLabels)
{
    public static AuthorshipPolicy None { get; } = new([], []);
}

/// <summary>
/// What is known about a change when it is classified. <see cref="KnownTrailers"/> are the trailer-borne facts the
/// change already carries from an earlier description or commit: they count as trailers, so a later commit without
/// them does not change the classification.
/// </summary>
public sealed record AuthorshipEvidence(
    string? Author,
    IReadOnlyList<string>? Labels = null,
    ProvenanceBundle? SubmittedProvenance = null,
    string? Description = null,
    ProvenanceTrailers? KnownTrailers = null);

/// <summary>The classification with the reason shown to people. Whether it is untraced is the change's to say, from its session id.</summary>
public sealed record AuthorshipResult(bool IsAgentAuthored, string Reason);

/// <summary>
/// A change is agent-authored when it carries provenance (submitted through the API, or as
/// trailers in its description), or its author is a configured agent account, or it has a configured label;
/// otherwise it is human-authored and part of the baseline.
/// </summary>
public static class AuthorshipClassifier
{
    public static AuthorshipResult Classify(AuthorshipPolicy policy, AuthorshipEvidence change)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(change);

        var trailers = ProvenanceTrailers.Parse(change.Description);

        string? reason = null;
        if (change.SubmittedProvenance is not null)
        {
            reason = "provenance submitted through the API";
        }
        else if (!trailers.IsEmpty || change.KnownTrailers is { IsEmpty: false })
        {
            reason = "provenance trailers in the description";
        }
        else if (change.Author is { } author && policy.AgentAccounts.FirstOrDefault(p => MatchesAccount(p, author)) is { } account)
        {
            reason = $"author '{author}' matches agent account '{account}'";
        }
        else if ((change.Labels ?? []).FirstOrDefault(l => policy.AgentLabels.Contains(l.Trim(), StringComparer.OrdinalIgnoreCase)) is { } label)
        {
            reason = $"label '{label}' marks agent changes";
        }

        return reason is null
            ? new AuthorshipResult(IsAgentAuthored: false, "no provenance, agent account or agent label: human-authored")
            : new AuthorshipResult(IsAgentAuthored: true, reason);
    }

    /// <summary>
    /// A whole-name match ignoring case where <c>*</c> stands for any run of characters; everything else is
    /// literal, so the brackets of <c>*[bot]</c> mean brackets.
    /// </summary>
    public static bool MatchesAccount(string pattern, string account)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(account);
        var parts = pattern.Trim().Split('*');
        var name = account.Trim();
        if (parts.Length == 1)
        {
            return string.Equals(parts[0], name, StringComparison.OrdinalIgnoreCase);
        }

        if (!name.StartsWith(parts[0], StringComparison.OrdinalIgnoreCase) || !name.EndsWith(parts[^1], StringComparison.OrdinalIgnoreCase)
            || name.Length < parts[0].Length + parts[^1].Length)
        {
            return false;
        }

        // Middle parts in order, between the fixed start and end.
        var position = parts[0].Length;
        var end = name.Length - parts[^1].Length;
        foreach (var part in parts[1..^1])
        {
            var found = name.IndexOf(part, position, end - position, StringComparison.OrdinalIgnoreCase);
            if (found < 0)
            {
                return false;
            }

            position = found + part.Length;
        }

        return true;
    }
}
