using ReviewPortal.Domain.Decisions;

namespace ReviewPortal.Domain.Policy;

/// <summary>
/// <paramref name="Count"/> approvals needed from people in <paramref name="Group"/>; <paramref name="Reason"/> says why
/// when a path rule added it ("public API contracts").
/// </summary>
public sealed record QuorumSeats(string Group, int Count, string? Reason = null);

/// <summary>One person whose approval is valid (on the head, not their own change), with the groups they held when they approved.</summary>
public sealed record QuorumApprover(string Id, IReadOnlySet<string> Groups);

/// <summary>How many of a group's seats are still empty.</summary>
public sealed record GroupShortfall(string Group, int Missing, string? Reason);

/// <summary>
/// An assignment of approvers to seats with as many seats filled as any assignment can fill. <see cref="Assignment"/>
/// maps each approver who counts to the group they count for; <see cref="Missing"/> lists the groups with empty seats,
/// in the order they were required.
/// </summary>
public sealed record QuorumMatch(int Seats, IReadOnlyDictionary<string, string> Assignment, IReadOnlyList<GroupShortfall> Missing)
{
    public int Matched => Assignment.Count;

    public bool IsMet => Matched == Seats;
}

/// <summary>
/// Whose approvals make up a quorum. One person counts once, for one group: approvers are assigned to seats by a maximum
/// bipartite matching (augmenting paths), so the quorum is met whenever any assignment of the approvers meets it.
/// With A in security and legal and B in security, "one security + one legal" is met: B for security, A for legal.
/// </summary>
public static class ApprovalQuorum
{
    public static QuorumMatch Match(IReadOnlyList<QuorumSeats> seats, IReadOnlyList<QuorumApprover> approvers)
    {
        ArgumentNullException.ThrowIfNull(seats);
        ArgumentNullException.ThrowIfNull(approvers);
        var slots = seats.SelectMany((s, need) => Enumerable.Repeat(need, Math.Max(0, s.Count))).ToArray();
        var people = approvers.DistinctBy(a => a.Id, StringComparer.Ordinal).ToArray();
        // holder[slot] = index of the approver in that seat, or -1.
        var holder = Enumerable.Repeat(-1, slots.Length).ToArray();
        for (var person = 0; person < people.Length; person++)
        {
            TryPlace(person, new bool[slots.Length]);
        }

        var assignment = new Dictionary<string, string>(StringComparer.Ordinal);
        var filled = new int[seats.Count];
        for (var slot = 0; slot < slots.Length; slot++)
        {
            if (holder[slot] >= 0)
            {
                assignment[people[holder[slot]].Id] = seats[slots[slot]].Group;
                filled[slots[slot]]++;
            }
        }

        var missing = seats.Select((s, need) => new GroupShortfall(s.Group, Math.Max(0, s.Count) - filled[need], s.Reason)).Where(g => g.Missing > 0).ToList();
        return new QuorumMatch(slots.Length, assignment, missing);

        // Kuhn's augmenting path: seat the person in a free seat of theirs, or move a seated holder to another seat of theirs.
        bool TryPlace(int person, bool[] visited)
        {
            for (var slot = 0; slot < slots.Length; slot++)
            {
                if (visited[slot] || !people[person].Groups.Contains(seats[slots[slot]].Group))
                {
                    continue;
                }

                visited[slot] = true;
                if (holder[slot] < 0 || TryPlace(holder[slot], visited))
                {
                    holder[slot] = person;
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>Whether <paramref name="candidate"/>'s approval would fill one more seat than <paramref name="approvers"/> fill now.</summary>
    public static bool WouldCount(IReadOnlyList<QuorumSeats> seats, IReadOnlyList<QuorumApprover> approvers, QuorumApprover candidate)
    {
        ArgumentNullException.ThrowIfNull(approvers);
        ArgumentNullException.ThrowIfNull(candidate);
        return Match(seats, [.. approvers, candidate]).Matched > Match(seats, approvers).Matched;
    }
}

/// <summary>
/// The groups a quorum names people by: their portal roles, the identity provider's groups they held, and
/// <see cref="AnyReviewer"/> for anyone who reviews. Role names (and <see cref="AnyReviewer"/>) are taken from portal
/// roles only: a provider group that happens to be called "SecurityReviewer" grants nothing the role mapping did not.
/// Names match exactly (ordinal), as the role mapping does.
/// </summary>
public static class QuorumGroups
{
    /// <summary>Holders of <see cref="PortalRoles.Reviewer"/> or <see cref="PortalRoles.SecurityReviewer"/>: who approves a plain tier.</summary>
    public const string AnyReviewer = "AnyReviewer";

    /// <summary>A person's groups as stored with a decision: roles, and the provider groups whose names are no role's.</summary>
    public static IReadOnlySet<string> Combine(IEnumerable<string> roles, IEnumerable<string> providerGroups)
    {
        ArgumentNullException.ThrowIfNull(roles);
        ArgumentNullException.ThrowIfNull(providerGroups);
        var groups = roles.ToHashSet(StringComparer.Ordinal);
        groups.UnionWith(providerGroups.Where(g => !string.IsNullOrWhiteSpace(g) && !IsPortalName(g)));
        return groups;
    }

    /// <summary>The groups a quorum seat is matched against: <paramref name="groups"/> (as <see cref="Combine"/> made them) and <see cref="AnyReviewer"/> where it applies.</summary>
    public static IReadOnlySet<string> Membership(IEnumerable<string> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var membership = groups.ToHashSet(StringComparer.Ordinal);
        if (membership.Contains(PortalRoles.Reviewer) || membership.Contains(PortalRoles.SecurityReviewer))
        {
            membership.Add(AnyReviewer);
        }
        else
        {
            membership.Remove(AnyReviewer);
        }

        return membership;
    }

    /// <summary>Whether <paramref name="group"/> names a portal role or <see cref="AnyReviewer"/>, which only portal roles grant.</summary>
    public static bool IsPortalName(string group) =>
        string.Equals(group, AnyReviewer, StringComparison.Ordinal) || PortalRoles.All.Contains(group, StringComparer.Ordinal);

    /// <summary>A member of the group as the policy's texts say it: "security reviewer", "reviewer", "member of legal".</summary>
    public static string Noun(string group) => group switch
    {
        PortalRoles.SecurityReviewer => "security reviewer",
        PortalRoles.Reviewer or AnyReviewer => "reviewer",
        PortalRoles.Manager => "manager",
        PortalRoles.Admin => "admin",
        _ => $"member of {group}",
    };

    /// <summary>The plural of <see cref="Noun"/>: "security reviewers", "members of legal".</summary>
    public static string Plural(string group) => group switch
    {
        PortalRoles.SecurityReviewer or PortalRoles.Reviewer or AnyReviewer or PortalRoles.Manager or PortalRoles.Admin => Noun(group) + "s",
        _ => $"members of {group}",
    };
}
