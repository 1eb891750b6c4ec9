using ReviewPortal.Domain.Decisions;

namespace ReviewPortal.Domain.Tests.Decisions;

public sealed class DecisionPolicyTests
{
    private static readonly DecisionSubject Pending = new(ChangeState.Pending, "payments-agent[bot]", "dana@acme.test");

    private static Decider As(string name, params string[] roles) => new(name, name, roles.ToHashSet(StringComparer.Ordinal));

    [Fact]
    public void A_reviewer_may_approve_a_pending_change() =>
        Assert.True(DecisionPolicy.Check(Pending, As("riley@acme.test", PortalRoles.Reviewer), DecisionKind.Approve, null).Allowed);

    [Fact]
    public void A_security_reviewer_may_decide() =>
        Assert.True(DecisionPolicy.Check(Pending, As("sasha@acme.test", PortalRoles.SecurityReviewer), DecisionKind.Reject, "unsafe").Allowed);

    [Theory]
    [InlineData(PortalRoles.Manager)]
    [InlineData(PortalRoles.Admin)]
    public void Managers_and_admins_cannot_decide(string role)
    {
        var check = DecisionPolicy.Check(Pending, As("m@acme.test", role), DecisionKind.Approve, null);

        Assert.False(check.Allowed);
        Assert.Contains("reviewers", check.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("dana@acme.test")]
    [InlineData("DANA@ACME.TEST")]
    [InlineData("payments-agent[bot]")]
    public void The_prompter_or_author_cannot_approve(string who)
    {
        var check = DecisionPolicy.Check(Pending, As(who, PortalRoles.Reviewer), DecisionKind.Approve, null);

        Assert.False(check.Allowed);
        Assert.Contains("author or prompter", check.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_prompter_may_still_reject_their_own_change() =>
        Assert.True(DecisionPolicy.Check(Pending, As("dana@acme.test", PortalRoles.Reviewer), DecisionKind.Reject, "wrong approach").Allowed);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void A_rejection_needs_a_reason(string? reason)
    {
        var check = DecisionPolicy.Check(Pending, As("riley@acme.test", PortalRoles.Reviewer), DecisionKind.Reject, reason);

        Assert.False(check.Allowed);
        Assert.Equal("A rejection needs a reason.", check.Reason);
    }

    [Fact]
    public void A_reason_longer_than_the_limit_is_refused() =>
        Assert.False(DecisionPolicy.Check(Pending, As("r@acme.test", PortalRoles.Reviewer), DecisionKind.Reject, new string('x', DecisionPolicy.MaxReasonLength + 1)).Allowed);

    [Theory]
    [InlineData(ChangeState.Approved)]
    [InlineData(ChangeState.Rejected)]
    public void A_decided_change_stays_decided(ChangeState state)
    {
        var check = DecisionPolicy.Check(Pending with { State = state }, As("r@acme.test", PortalRoles.Reviewer), DecisionKind.Approve, null);

        Assert.False(check.Allowed);
        Assert.Contains("already", check.Reason, StringComparison.Ordinal);
    }
}
