using FsCheck;
using FsCheck.Fluent;
using ReviewPortal.Domain.Policy;

namespace ReviewPortal.Domain.Tests.Policy;

/// <summary>The quorum matching against brute force over every assignment of approvers to groups, on small inputs.</summary>
public sealed class ApprovalQuorumProperties
{
    private static readonly string[] Groups = ["security", "legal", "cab"];

    private static Gen<List<QuorumSeats>> Seats =>
        from groups in Gen.SubListOf(Groups).Where(g => g.Count > 0)
        from counts in Gen.ListOf(Gen.Choose(1, 3), groups.Count)
        select groups.Zip(counts, (g, c) => new QuorumSeats(g, c)).ToList();

    private static Gen<List<QuorumApprover>> Approvers =>
        from count in Gen.Choose(0, 5)
        from memberships in Gen.ListOf(Gen.SubListOf(Groups), count)
        select memberships.Select((groups, i) => Approver($"p{i}", groups)).ToList();

    private static QuorumApprover Approver(string id, IEnumerable<string> groups) => new(id, groups.ToHashSet(StringComparer.Ordinal));

    /// <summary>The most seats any assignment fills: each approver counts for one of their groups, or for none.</summary>
    private static int BruteForceBest(IReadOnlyList<QuorumSeats> seats, IReadOnlyList<QuorumApprover> approvers)
    {
        var best = 0;
        Assign(0, new Dictionary<string, int>(StringComparer.Ordinal));
        return best;

        void Assign(int next, Dictionary<string, int> taken)
        {
            if (next == approvers.Count)
            {
                best = Math.Max(best, seats.Sum(s => Math.Min(s.Count, taken.GetValueOrDefault(s.Group))));
                return;
            }

            Assign(next + 1, taken);
            foreach (var group in approvers[next].Groups.Where(g => seats.Any(s => s.Group == g)))
            {
                taken[group] = taken.GetValueOrDefault(group) + 1;
                Assign(next + 1, taken);
                taken[group]--;
            }
        }
    }

    [Fact]
    public void The_matching_fills_as_many_seats_as_the_best_assignment_so_it_is_met_exactly_when_some_assignment_meets_it() =>
        Prop.ForAll(Seats.ToArbitrary(), Approvers.ToArbitrary(), (seats, approvers) =>
        {
            var match = ApprovalQuorum.Match(seats, approvers);
            var best = BruteForceBest(seats, approvers);
            return match.Matched == best && match.IsMet == (best == seats.Sum(s => s.Count));
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void A_person_counts_at_most_once_for_one_of_their_own_groups_and_no_group_gets_more_than_its_seats() =>
        Prop.ForAll(Seats.ToArbitrary(), Approvers.ToArbitrary(), (seats, approvers) =>
        {
            // The same person twice (a repeated approval) is still one approver.
            var match = ApprovalQuorum.Match(seats, [.. approvers, .. approvers]);
            return match.Assignment.All(a => approvers.Single(p => p.Id == a.Key).Groups.Contains(a.Value))
                   && match.Matched <= approvers.Count
                   && seats.All(s => match.Assignment.Count(a => a.Value == s.Group) <= s.Count);
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Adding_an_approver_never_fills_fewer_seats() =>
        Prop.ForAll(Seats.ToArbitrary(), Approvers.ToArbitrary(), Gen.SubListOf(Groups).ToArbitrary(), (seats, approvers, groups) =>
        {
            var more = ApprovalQuorum.Match(seats, [.. approvers, Approver("newcomer", groups)]).Matched;
            return more >= ApprovalQuorum.Match(seats, approvers).Matched
                   && ApprovalQuorum.WouldCount(seats, approvers, Approver("newcomer", groups)) == (more > ApprovalQuorum.Match(seats, approvers).Matched);
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void The_missing_counts_add_up_to_the_seats_the_matching_left_empty() =>
        Prop.ForAll(Seats.ToArbitrary(), Approvers.ToArbitrary(), (seats, approvers) =>
        {
            var match = ApprovalQuorum.Match(seats, approvers);
            return match.Missing.Sum(m => m.Missing) == match.Seats - match.Matched
                   && match.Missing.All(m => m.Missing > 0)
                   && match.Seats == seats.Sum(s => s.Count);
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void One_in_security_and_legal_and_one_in_security_meet_one_security_and_one_legal_in_either_order()
    {
        QuorumSeats[] seats = [new("security", 1), new("legal", 1)];
        var a = Approver("a", ["security", "legal"]);
        var b = Approver("b", ["security"]);

        var aFirst = ApprovalQuorum.Match(seats, [a, b]);
        var bFirst = ApprovalQuorum.Match(seats, [b, a]);
        var aAlone = ApprovalQuorum.Match(seats, [a]);

        Assert.True(aFirst.IsMet);
        Assert.Equal("legal", aFirst.Assignment["a"]);
        Assert.Equal("security", aFirst.Assignment["b"]);
        Assert.True(bFirst.IsMet);
        Assert.False(aAlone.IsMet);
        Assert.Equal(1, Assert.Single(aAlone.Missing).Missing);
    }
}
