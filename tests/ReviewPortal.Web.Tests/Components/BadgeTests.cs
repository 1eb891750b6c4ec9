using Bunit;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Domain.Risk;
using ReviewPortal.Testing;
using ReviewPortal.Web.Components;

namespace ReviewPortal.Web.Tests.Components;

[Trait("Category", "Component")]
public sealed class BadgeTests : ComponentTest
{
    [Theory]
    [InlineData(RiskTier.Low, "Tier 1 · Low")]
    [InlineData(RiskTier.Medium, "Tier 2 · Medium")]
    [InlineData(RiskTier.High, "Tier 3 · High")]
    [InlineData(RiskTier.Critical, "Tier 4 · Critical")]
    public void Tier_badge_names_the_tier_in_text_and_takes_the_themes_tier_colours(RiskTier tier, string text)
    {
        var badge = Render<TierBadge>(p => p.Add(b => b.Tier, tier).Add(b => b.Score, 42)).Find("[data-testid=tier-badge]");

        Assert.Equal(text, badge.TextContent.Trim());
        // site.css colours .tier-N from the theme's --rp-tier-N-* variables, defined once in PortalTheme.
        Assert.Contains($"tier-{(int)tier}", badge.ClassList);
        Assert.Equal("Risk score 42", badge.GetAttribute("title"));
    }

    [Theory]
    [InlineData(ChangeState.Pending, "Pending", "state-pending")]
    [InlineData(ChangeState.ChangesRequested, "Changes requested", "state-changesrequested")]
    [InlineData(ChangeState.Approved, "Approved", "state-approved")]
    [InlineData(ChangeState.Rejected, "Rejected", "state-rejected")]
    public void State_badge_names_the_state_in_words(ChangeState state, string text, string cssClass)
    {
        var badge = Render<StateBadge>(p => p.Add(b => b.State, state)).Find("[data-testid=state-badge]");

        Assert.Equal(text, badge.TextContent.Trim());
        Assert.Contains(cssClass, badge.ClassList);
    }
}
