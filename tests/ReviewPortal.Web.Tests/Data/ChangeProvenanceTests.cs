using ReviewPortal.Domain.Changes;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Domain.Policy;
using ReviewPortal.Domain.Provenance;
using ReviewPortal.Domain.Risk;
using ReviewPortal.Domain.Text;
using ReviewPortal.Web.Data;

namespace ReviewPortal.Web.Tests.Data;

/// <summary>The change's one routine for people changes, on the entity alone (what it decides needs no database).</summary>
public sealed class ChangeProvenanceTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    private static ProvenanceUpdate Update(string source = "attached by API client ci-main") => new(new ReviewPolicyOptions(), Now, source);

    private static Change ApprovedBy(RiskTier tier, string? prompter, params string[] approvers)
    {
        var change = new Change
        {
            Title = "Round totals", Repository = "acme/orders", Author = "orders-agent[bot]", Prompter = prompter, SubmittedBy = "ci-main",
            RuleSetVersion = "v1", Tier = tier, RevisionCount = 1, HeadSha = "abc1234def", State = ChangeState.Approved, ScmState = "open",
            DecidedBy = approvers.LastOrDefault(),
        };
        foreach (var approver in approvers)
        {
            change.Decisions.Add(new Decision
            {
                Kind = DecisionKind.Approve, ReviewerId = approver, ReviewerName = approver, ReviewerEmail = approver, ReviewerRoles = [PortalRoles.Reviewer],
                RevisionNumber = 1, CommitSha = "abc1234def", DecidedAt = Now.AddHours(-1),
            });
        }

        return change;
    }

    [Fact]
    [Trait("Category", "DecisionIntegrity")]
    public void An_approval_that_still_satisfies_the_policy_without_the_new_prompter_keeps_the_change_approved()
    {
        var change = ApprovedBy(RiskTier.Low, "dana@acme.test", "riley@acme.test", "sam@acme.test");

        change.ApplySubmittedProvenance(new ProvenanceBundle(Prompter: "Riley@Acme.test "), Update());

        Assert.Equal(ChangeState.Approved, change.State);
        Assert.Equal(["riley@acme.test"], change.Decisions.Where(d => d.ResetAt is not null).Select(d => d.ReviewerEmail));
        Assert.Contains("still satisfy the policy", Assert.Single(change.Events, e => e.Kind == ChangeEventKind.ApprovalsReset).Detail, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "DecisionIntegrity")]
    public void Trailers_naming_the_only_approver_as_prompter_reopen_the_change()
    {
        var change = ApprovedBy(RiskTier.Medium, prompter: null, "riley@acme.test");

        var changed = change.FillFromTrailers(new ProvenanceTrailers(Prompter: "riley@acme.test"), Update("from the trailers of acme/orders#5"));

        Assert.Equal((ChangeState.Pending, (string?)null), (change.State, change.DecidedBy));
        Assert.Equal("Prompter: (none) → riley@acme.test", Assert.Single(changed).ToString());
        Assert.Equal(Now, Assert.Single(change.Decisions).ResetAt);
        Assert.Contains("from the trailers of acme/orders#5", change.Decisions[0].ResetReason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bundle_keeps_what_it_leaves_empty_and_reports_only_what_it_changed()
    {
        var change = ApprovedBy(RiskTier.Low, "dana@acme.test");
        change.ApplySubmittedProvenance(new ProvenanceBundle(CoveragePercent: 80, Tests: new TestResults(12, 0, 1)), Update());

        var changed = change.ApplySubmittedProvenance(new ProvenanceBundle(CoveragePercent: 91.5, Prompt: new string('p', 200)), Update());

        Assert.Equal((91.5, 12), (change.Provenance!.CoveragePercent, change.Provenance.Tests!.Passed));
        Assert.Equal(["Prompt", "Coverage"], changed.Select(c => c.Field));
        Assert.Equal("Coverage: 80% → 91.5%", changed[1].ToString());
        Assert.EndsWith("…", changed[0].ToString(), StringComparison.Ordinal);
        Assert.Equal(ChangeState.Approved, change.State);
        Assert.DoesNotContain(change.Events, e => e.Kind == ChangeEventKind.ApprovalsReset);
    }

    [Fact]
    [Trait("Category", "BadInput")]
    public void A_field_cut_for_the_timeline_never_splits_a_surrogate_pair()
    {
        var change = ApprovedBy(RiskTier.Low, prompter: null);

        var shown = Assert.Single(change.ApplySubmittedProvenance(new ProvenanceBundle(Prompt: new string('x', 79) + "😀 and the rest of the prompt"), Update())).ToString();

        Assert.True(StorableText.IsStorable(shown), shown);
        Assert.Equal("Prompt: (none) → " + new string('x', 79) + "…", shown);
    }

    [Theory]
    [InlineData(true, null, true)]
    [InlineData(true, "  ", true)]
    [InlineData(true, "sess_1", false)]
    [InlineData(false, null, false)]
    public void Untraced_is_an_agent_change_without_a_session_id(bool agentAuthored, string? session, bool untraced)
    {
        var change = ApprovedBy(RiskTier.Low, prompter: null);
        change.IsAgentAuthored = agentAuthored;
        change.AgentSessionId = session;

        Assert.Equal(untraced, change.IsUntraced);
    }
}
