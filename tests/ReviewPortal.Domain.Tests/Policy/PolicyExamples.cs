using ReviewPortal.Domain.Decisions;
using ReviewPortal.Domain.Policy;
using ReviewPortal.Domain.Provenance;
using ReviewPortal.Domain.Risk;
using ReviewPortal.Domain.People;

namespace ReviewPortal.Domain.Tests.Policy;

/// <summary>Changes, people and decisions the policy tests are written with.</summary>
internal static class PolicyExamples
{
    public const string Head = "abc1234def5678";
    public const string Earlier = "0ld0000c0mm17";
    public static readonly DateTimeOffset Arrived = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);

    public static readonly ReviewPolicyOptions Defaults = new();

    public static readonly ChangeChecks Passing = new(new TestResults(212, 0, 1), 84, 92, [new SecurityFinding(FindingSeverity.Low, "Verbose log")], new RollbackPlan("Revert the commit.", "Token issuance for all tenants"));

    public static ReviewSubject Change(RiskTier tier, ChangeChecks? checks = null, params RecordedDecision[] decisions) =>
        new(tier, ChangeState.Pending, "open", "payments-agent[bot]", "dana@acme.test", 2, Head, Arrived, checks ?? Passing, decisions);

    public static Reviewer Person(string email, params string[] roles) => new($"id-{email}", email, email, roles.ToHashSet(StringComparer.Ordinal));

    public static Reviewer Reviewer(string email = "riley@acme.test") => Person(email, PortalRoles.Reviewer);

    public static Reviewer Security(string email = "sasha@acme.test") => Person(email, PortalRoles.SecurityReviewer);

    public static RecordedDecision Approval(Reviewer by, int revision = 2, string? commit = Head, int minute = 0) =>
        Decision(DecisionKind.Approve, by, revision, commit, minute);

    public static RecordedDecision Decision(DecisionKind kind, Reviewer by, int revision = 2, string? commit = Head, int minute = 0) =>
        new(kind, by.UserId, by.UserName, by.Email, by.Roles.ToList(), revision, commit, Arrived.AddMinutes(5 + minute), Groups: [.. by.Groups]);

    /// <summary>Someone holding <paramref name="roles"/> and, from the identity provider, <paramref name="providerGroups"/>.</summary>
    public static Reviewer Member(string email, string[] roles, params string[] providerGroups) => Person(email, roles) with { ProviderGroups = providerGroups };

    /// <summary>The defaults, with tier 4 asking for "one security reviewer and one from legal".</summary>
    public static ReviewPolicyOptions SecurityAndLegal()
    {
        var options = new ReviewPolicyOptions();
        options.Tier4.Quorum = [new GroupQuorum { Group = PortalRoles.SecurityReviewer, Count = 1 }, new GroupQuorum { Group = "legal", Count = 1 }];
        return options;
    }
}
