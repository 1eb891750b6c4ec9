using FsCheck;
using FsCheck.Fluent;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Domain.Queue;
using ReviewPortal.Domain.Risk;
using ReviewPortal.Domain.People;

namespace ReviewPortal.Domain.Tests.Queue;

public sealed class ReviewerAssignmentTests
{
    private static readonly Reviewer Riley = Person("riley", PortalRoles.Reviewer);
    private static readonly Reviewer Sam = Person("sam", PortalRoles.Reviewer);
    private static readonly Reviewer Dana = Person("dana", PortalRoles.Reviewer);
    private static readonly Reviewer Sasha = Person("sasha", PortalRoles.SecurityReviewer);
    private static readonly Reviewer Kim = Person("kim", PortalRoles.SecurityReviewer);

    private static Reviewer Person(string name, params string[] roles) =>
        new($"id-{name}", $"{name}@acme.test", $"{name}@acme.test", roles.ToHashSet(StringComparer.Ordinal), name);

    private static ClaimSubject Change(RiskTier tier, string prompter = "someone@acme.test", string author = "agent[bot]") =>
        new(tier, ChangeState.Pending, author, prompter, null, null);

    [Fact]
    public void The_least_loaded_eligible_reviewer_gets_the_change()
    {
        var chosen = ReviewerAssignment.Choose(Change(RiskTier.Medium), [new(Riley, 3), new(Sam, 1), new(Dana, 2)], AssignmentRules.Default);

        Assert.Equal(Sam, chosen?.Reviewer);
    }

    [Fact]
    public void The_prompter_and_the_author_are_never_chosen()
    {
        var candidates = new AssignmentCandidate[] { new(Dana, 0), new(Riley, 5), new(Sam, 9) };

        Assert.Equal(Riley, ReviewerAssignment.Choose(Change(RiskTier.High, prompter: "dana@acme.test"), candidates, AssignmentRules.Default)?.Reviewer);
        Assert.Equal(Riley, ReviewerAssignment.Choose(Change(RiskTier.High, author: "DANA@acme.test"), candidates, AssignmentRules.Default)?.Reviewer);
    }

    [Fact]
    public void Tier_4_goes_to_security_reviewers_only()
    {
        var chosen = ReviewerAssignment.Choose(Change(RiskTier.Critical), [new(Riley, 0), new(Sasha, 4), new(Kim, 2)], AssignmentRules.Default);

        Assert.Equal(Kim, chosen?.Reviewer);
        Assert.Null(ReviewerAssignment.Choose(Change(RiskTier.Critical), [new(Riley, 0), new(Sam, 0)], AssignmentRules.Default));
    }

    [Fact]
    public void Security_reviewers_take_tiers_1_to_3_only_when_configured()
    {
        var candidates = new AssignmentCandidate[] { new(Sasha, 0), new(Riley, 3) };

        Assert.Equal(Riley, ReviewerAssignment.Choose(Change(RiskTier.Medium), candidates, AssignmentRules.Default)?.Reviewer);
        Assert.Equal(Sasha, ReviewerAssignment.Choose(Change(RiskTier.Medium), candidates, AssignmentRules.Default with { SecurityReviewersTakeTiers1To3 = true })?.Reviewer);
    }

    [Fact]
    public void Ties_go_to_the_first_user_name_in_ordinal_order() =>
        Assert.Equal(Riley, ReviewerAssignment.Choose(Change(RiskTier.Medium), [new(Sam, 1), new(Riley, 1)], AssignmentRules.Default)?.Reviewer);

    [Fact]
    public void The_choice_is_eligible_least_loaded_and_independent_of_candidate_order()
    {
        var people = new[] { Riley, Sam, Dana, Sasha, Kim };
        var scenario = from tier in Gen.Elements(RiskTier.Low, RiskTier.Medium, RiskTier.High, RiskTier.Critical)
                       from prompter in Gen.Elements(people.Select(p => p.UserName).Append("nobody@acme.test").ToArray())
                       from loads in Gen.ArrayOf(Gen.Choose(0, 4), people.Length)
                       from order in Gen.Shuffle(Enumerable.Range(0, people.Length).ToArray())
                       select (tier, prompter, loads, order);
        Prop.ForAll(scenario.ToArbitrary(), s =>
        {
            var subject = Change(s.tier, s.prompter);
            var candidates = people.Select((p, i) => new AssignmentCandidate(p, s.loads[i])).ToList();
            var chosen = ReviewerAssignment.Choose(subject, candidates, AssignmentRules.Default);
            var shuffled = ReviewerAssignment.Choose(subject, s.order.Select(i => candidates[i]), AssignmentRules.Default);
            var eligible = candidates.Where(c => ReviewerAssignment.IsEligible(subject, c.Reviewer, AssignmentRules.Default)).ToList();
            return Equals(chosen, shuffled)
                   && (chosen is null
                       ? eligible.Count == 0
                       : eligible.Contains(chosen)
                         && eligible.All(c => c.OpenAssignments >= chosen.OpenAssignments)
                         && chosen.Reviewer.UserName != s.prompter
                         && (s.tier != RiskTier.Critical || chosen.Reviewer.IsSecurityReviewer));
        }).QuickCheckThrowOnFailure();
    }
}
