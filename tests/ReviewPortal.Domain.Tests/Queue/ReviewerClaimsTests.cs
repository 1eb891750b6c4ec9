using ReviewPortal.Domain.Decisions;
using ReviewPortal.Domain.Queue;
using ReviewPortal.Domain.Risk;
using ReviewPortal.Domain.People;

namespace ReviewPortal.Domain.Tests.Queue;

public sealed class ReviewerClaimsTests
{
    private static Reviewer Person(string name, params string[] roles) =>
        new($"id-{name}", $"{name}@acme.test", $"{name}@acme.test", roles.ToHashSet(StringComparer.Ordinal), name);

    private static ClaimSubject Change(RiskTier tier, ChangeState state = ChangeState.Pending, string? assignedTo = null, string prompter = "dana@acme.test") =>
        new(tier, state, "agent[bot]", prompter, assignedTo is null ? null : $"id-{assignedTo}", assignedTo);

    [Fact]
    public void A_reviewer_claims_an_unassigned_tier_2_change() =>
        Assert.True(ReviewerClaims.CanClaim(Change(RiskTier.Medium), Person("riley", PortalRoles.Reviewer), holderMayKeepIt: true).Allowed);

    [Fact]
    public void Only_security_reviewers_claim_tier_4()
    {
        Assert.False(ReviewerClaims.CanClaim(Change(RiskTier.Critical), Person("riley", PortalRoles.Reviewer), true).Allowed);
        Assert.True(ReviewerClaims.CanClaim(Change(RiskTier.Critical), Person("sasha", PortalRoles.SecurityReviewer), true).Allowed);
    }

    [Theory]
    [InlineData(PortalRoles.Manager)]
    [InlineData(PortalRoles.Admin)]
    public void People_who_do_not_review_cannot_claim(string role)
    {
        var check = ReviewerClaims.CanClaim(Change(RiskTier.Low), Person("morgan", role), true);

        Assert.False(check.Allowed);
        Assert.Contains("reviewers", check.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_prompter_cannot_claim_their_own_change()
    {
        var check = ReviewerClaims.CanClaim(Change(RiskTier.Medium, prompter: "DANA@acme.test "), Person("dana", PortalRoles.Reviewer), true);

        Assert.False(check.Allowed);
        Assert.Contains("prompted", check.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_change_someone_holds_cannot_be_claimed_and_says_who_has_it()
    {
        var check = ReviewerClaims.CanClaim(Change(RiskTier.Medium, assignedTo: "Sam"), Person("riley", PortalRoles.Reviewer), holderMayKeepIt: true);

        Assert.False(check.Allowed);
        Assert.Equal("Sam has this change.", check.Reason);
    }

    [Fact]
    public void A_holder_who_may_no_longer_keep_it_does_not_block_a_claim() =>
        Assert.True(ReviewerClaims.CanClaim(Change(RiskTier.Critical, assignedTo: "Sam"), Person("sasha", PortalRoles.SecurityReviewer), holderMayKeepIt: false).Allowed);

    [Theory]
    [InlineData(ChangeState.Approved)]
    [InlineData(ChangeState.Rejected)]
    public void A_decided_change_cannot_be_claimed(ChangeState state) =>
        Assert.False(ReviewerClaims.CanClaim(Change(RiskTier.Low, state), Person("riley", PortalRoles.Reviewer), true).Allowed);

    [Fact]
    public void Only_the_assignee_releases()
    {
        var change = Change(RiskTier.Medium, assignedTo: "riley");

        Assert.True(ReviewerClaims.CanRelease(change, Person("riley", PortalRoles.Reviewer)).Allowed);
        var other = ReviewerClaims.CanRelease(change, Person("sam", PortalRoles.Reviewer));
        Assert.False(other.Allowed);
        Assert.Contains("riley", other.Reason, StringComparison.Ordinal);
        Assert.False(ReviewerClaims.CanRelease(Change(RiskTier.Medium), Person("riley", PortalRoles.Reviewer)).Allowed);
    }

    [Fact]
    public void Tier_4_is_visible_to_security_reviewers_and_to_the_submitting_client_only_and_grants_limit_clients_to_their_repositories()
    {
        Assert.True(ChangeViewer.ForPerson(Person("sam")).CanView(RiskTier.High, "payments-agent", "acme/payments"));
        Assert.False(ChangeViewer.ForPerson(Person("riley", PortalRoles.Reviewer, PortalRoles.Admin)).CanView(RiskTier.Critical, "payments-agent", "acme/payments"));
        Assert.True(ChangeViewer.ForPerson(Person("sasha", PortalRoles.SecurityReviewer)).CanView(RiskTier.Critical, "payments-agent", "acme/payments"));
        Assert.True(ChangeViewer.ForApiClient("ci-main").CanView(RiskTier.Critical, "ci-main", "acme/payments"));
        Assert.False(ChangeViewer.ForApiClient("ci-main").CanView(RiskTier.Critical, "payments-agent", "acme/payments"));
        Assert.True(ChangeViewer.ForApiClient("ci-main").CanView(RiskTier.Low, "payments-agent", "acme/payments"));
        // Grants limit a client to its repositories, at every tier.
        var granted = ChangeViewer.ForApiClient("ci-main", new HashSet<string>(StringComparer.Ordinal) { "acme/payments" });
        Assert.True(granted.CanView(RiskTier.Critical, "ci-main", "acme/payments"));
        Assert.False(granted.CanView(RiskTier.Low, "payments-agent", "acme/orders"));
    }
}
