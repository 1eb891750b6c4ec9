using AngleSharp.Dom;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Domain.Policy;
using ReviewPortal.Domain.Provenance;
using ReviewPortal.Domain.Risk;
using ReviewPortal.Testing;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Features.Review;
using static ReviewPortal.Web.Tests.Features.Review.ReviewTestChanges;

namespace ReviewPortal.Web.Tests.Features.Review;

/// <summary>The header's policy panel: what the tier requires, what it still needs on the head commit, or that it is satisfied.</summary>
[Trait("Category", "Component")]
public sealed class PolicyNeedsTests : ComponentTest
{
    public PolicyNeedsTests()
    {
        Services.AddOptions<ReviewPolicyOptions>();
        Services.AddSingleton<TimeProvider>(new FixedClock(Arrived.AddMinutes(30)));
    }

    private INodeList Show(Change change) => Render<PolicyNeeds>(p => p.Add(c => c.Change, change)).Nodes;

    [Fact]
    public void Policy_needs_name_the_missing_security_approval_on_the_head_commit_and_who_counted()
    {
        var change = NewChange(RiskTier.Critical);
        change.Decisions.Add(Approval("Sasha Ivanova", "security@demo.local", PortalRoles.SecurityReviewer));

        var document = Show(change);

        Assert.Equal("2 approvals by distinct security reviewers and a rollback plan with blast radius", document.QuerySelector("[data-testid=policy-requirement]")?.TextContent);
        Assert.Equal(["1 more security reviewer approval on abc1234"], document.QuerySelectorAll("[data-testid=policy-needs-list] li").Select(li => li.TextContent));
        Assert.Equal("Counted so far: Sasha Ivanova on abc1234.", document.QuerySelector("[data-testid=policy-counted]")?.TextContent);
        Assert.Equal("false", document.QuerySelector("[data-testid=policy-needs]")?.GetAttribute("data-satisfied"));
    }

    [Fact]
    public void Policy_needs_ask_for_the_rollback_plan_and_say_why_automatic_approval_waits()
    {
        var tier4 = NewChange(RiskTier.Critical, provenance: new ProvenanceBundle());
        var tier1 = NewChange(RiskTier.Low);

        var needs4 = (Show(tier4)).QuerySelectorAll("[data-testid=policy-needs-list] li").Select(li => li.TextContent).ToList();
        var automatic = (Show(tier1)).QuerySelector("[data-testid=automatic-approval]")?.TextContent;

        Assert.Equal(["2 security reviewer approvals on abc1234", "a rollback plan with blast radius"], needs4);
        Assert.Equal("or automatic approval, which waits because policy score 60 is below 80; the wait period runs until 2026-11-20 11:00 UTC (1 h after revision 1 arrived)", automatic);
    }

    [Fact]
    public void Policy_needs_say_when_the_policy_is_satisfied_and_count_stale_approvals()
    {
        var satisfied = NewChange(RiskTier.Medium);
        satisfied.Decisions.Add(Approval("Riley Reviewer", "riley@demo.local", PortalRoles.Reviewer));
        satisfied.State = ChangeState.Approved;
        var stale = NewChange(RiskTier.Medium, revisions: 2);
        stale.Decisions.Add(Approval("Riley Reviewer", "riley@demo.local", PortalRoles.Reviewer, revision: 1, sha: "0ld0000"));

        var satisfiedDocument = Show(satisfied);
        var staleDocument = Show(stale);

        Assert.Equal("Satisfied: approved by Riley Reviewer on abc1234.", satisfiedDocument.QuerySelector("[data-testid=policy-satisfied]")?.TextContent);
        Assert.Equal("1 earlier approval no longer counts: given on an earlier commit, or reset by a rise in tier.", staleDocument.QuerySelector("[data-testid=policy-stale]")?.TextContent);
        Assert.Equal(["1 reviewer approval on abc1234"], staleDocument.QuerySelectorAll("[data-testid=policy-needs-list] li").Select(li => li.TextContent));
    }

    [Fact]
    public void A_new_approval_on_the_head_turns_the_open_needs_into_the_satisfied_state()
    {
        var change = NewChange(RiskTier.Medium);
        var panel = Render<PolicyNeeds>(p => p.Add(c => c.Change, change));
        Assert.Equal("false", panel.Find("[data-testid=policy-needs]").GetAttribute("data-satisfied"));

        change.Decisions.Add(Approval("Riley Reviewer", "riley@demo.local", PortalRoles.Reviewer));
        change.State = ChangeState.Approved;
        panel.Render(p => p.Add(c => c.Change, change));

        Assert.Equal("true", panel.Find("[data-testid=policy-needs]").GetAttribute("data-satisfied"));
        Assert.Empty(panel.FindAll("[data-testid=policy-needs-list]"));
        Assert.Equal("Satisfied: approved by Riley Reviewer on abc1234.", panel.Find("[data-testid=policy-satisfied]").TextContent);
    }

    [Fact]
    public void Policy_needs_show_each_groups_missing_count_of_a_named_quorum_and_of_a_path_rule()
    {
        Services.Configure<ReviewPolicyOptions>(o =>
        {
            o.Tier4.Quorum = [new GroupQuorum { Group = PortalRoles.SecurityReviewer, Count = 1 }, new GroupQuorum { Group = "legal", Count = 1 }];
            o.PathQuorums = [new PathQuorum { Paths = ["api/contracts/**"], Group = "change-advisory-board", Count = 1, Reason = "public API contracts" }];
        });
        var change = NewChange(RiskTier.Critical);
        var both = Approval("Ada Counsel", "ada@demo.local", PortalRoles.SecurityReviewer);
        both.ReviewerGroups = [PortalRoles.SecurityReviewer, "legal"];
        change.Decisions.Add(both);

        var panel = Render<PolicyNeeds>(p => p.Add(c => c.Change, change).Add(c => c.HeadPaths, ["api/contracts/orders.yaml"]));

        Assert.Equal("1 security reviewer approval and 1 approval from legal (each a different person) and a rollback plan with blast radius",
            panel.Find("[data-testid=policy-requirement]").TextContent);
        var needs = panel.FindAll("[data-testid=policy-needs-list] li[data-need=approvals]");
        Assert.Equal(
            [
                ("legal", "1", "1 more approval from legal on abc1234"),
                ("change-advisory-board", "1", "1 more approval from change-advisory-board on abc1234 for public API contracts"),
            ],
            needs.Select(li => (li.GetAttribute("data-group"), li.GetAttribute("data-missing"), li.TextContent)));
        Assert.Equal("Counted so far: Ada Counsel on abc1234.", panel.Find("[data-testid=policy-counted]").TextContent);
    }
}
