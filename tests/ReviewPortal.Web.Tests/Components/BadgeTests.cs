using ReviewPortal.Domain.Decisions;
using ReviewPortal.Domain.Risk;
using ReviewPortal.Web.Components;

namespace ReviewPortal.Web.Tests.Components;

public sealed class BadgeTests
{
    [Theory]
    [InlineData(RiskTier.Low, "Tier 1 · Low")]
    [InlineData(RiskTier.Medium, "Tier 2 · Medium")]
    [InlineData(RiskTier.High, "Tier 3 · High")]
    [InlineData(RiskTier.Critical, "Tier 4 · Critical")]
    public async Task Tier_badge_names_the_tier_in_text_not_only_colour(RiskTier tier, string text)
    {
        var document = await ComponentRenderer.RenderAsync<TierBadge>(new Dictionary<string, object?> { ["Tier"] = tier, ["Score"] = 42 });

        var badge = document.QuerySelector("[data-testid=tier-badge]")!;
        Assert.Equal(text, badge.TextContent);
        Assert.Contains($"tier-{(int)tier}", badge.ClassList);
        Assert.Equal("Risk score 42", badge.GetAttribute("title"));
    }

    [Theory]
    [InlineData(ChangeState.Pending, "state-pending")]
    [InlineData(ChangeState.Approved, "state-approved")]
    [InlineData(ChangeState.Rejected, "state-rejected")]
    public async Task State_badge_shows_the_state(ChangeState state, string cssClass)
    {
        var document = await ComponentRenderer.RenderAsync<StateBadge>(new Dictionary<string, object?> { ["State"] = state });

        var badge = document.QuerySelector("[data-testid=state-badge]")!;
        Assert.Equal(state.ToString(), badge.TextContent);
        Assert.Contains(cssClass, badge.ClassList);
    }
}
