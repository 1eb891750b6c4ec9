using AngleSharp.Dom;
using ReviewPortal.Domain.Changes;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Domain.Provenance;
using ReviewPortal.Domain.Risk;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Features.Decisions;

namespace ReviewPortal.Web.Tests.Features.Review;

/// <summary>Changes and decisions as the review page's components receive them (with decisions and events loaded).</summary>
internal static class ReviewTestChanges
{
    public const string Head = "abc1234def5678";
    public static readonly DateTimeOffset Arrived = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);

    public static Change NewChange(RiskTier tier, int revisions = 1, ProvenanceBundle? provenance = null)
    {
        var change = new Change
        {
            Id = 7,
            Title = "Rotate signing keys",
            Repository = "acme/payments",
            Author = "payments-agent[bot]",
            Prompter = "dana@demo.local",
            SubmittedBy = "test",
            SubmittedAt = Arrived,
            RuleSetVersion = "rs-test",
            Tier = tier,
            RevisionCount = revisions,
            HeadSha = Head,
            Provenance = provenance ?? new ProvenanceBundle(Tests: new TestResults(10, 0, 0), CoveragePercent: 90, PolicyComplianceScore: 60, Rollback: new RollbackPlan("Revert.", "All sessions.")),
        };
        for (var n = 1; n <= revisions; n++)
        {
            change.Events.Add(new ChangeEvent { Id = n, At = Arrived.AddHours(n - 1), Kind = n == 1 ? ChangeEventKind.Submitted : ChangeEventKind.Revision, Detail = $"Revision {n}.", RevisionNumber = n });
        }

        return change;
    }

    public static Decision Approval(string name, string email, string role, int revision = 1, string? sha = Head, int minutes = 5) => new()
    {
        Id = minutes,
        Kind = DecisionKind.Approve,
        ReviewerId = $"id-{email}",
        ReviewerName = name,
        ReviewerEmail = email,
        ReviewerRoles = [role],
        RevisionNumber = revision,
        CommitSha = sha,
        DecidedAt = Arrived.AddMinutes(minutes),
    };

    public static Decision Automatic() => new()
    {
        Id = 99,
        Kind = DecisionKind.Approve,
        ReviewerId = AutomaticApprover.ReviewerId,
        ReviewerName = AutomaticApprover.ReviewerName,
        IsAutomatic = true,
        PolicyRule = "automatic-approval (tier 1): 10 tests passed",
        RevisionNumber = 1,
        CommitSha = Head,
        DecidedAt = Arrived.AddHours(2),
    };

    /// <summary>The text as a browser shows it: runs of white space are one space.</summary>
    public static string Text(IElement element) => string.Join(' ', element.TextContent.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}

/// <summary>A clock that stays at one instant.</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
