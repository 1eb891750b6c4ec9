using Bunit;
using ReviewPortal.Domain.Queue;
using ReviewPortal.Domain.Risk;
using ReviewPortal.Testing;
using ReviewPortal.Web.Features.Queue;

namespace ReviewPortal.Web.Tests.Features.Queue;

[Trait("Category", "Component")]
public sealed class SlaBadgeTests : ComponentTest
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private AngleSharp.Dom.IElement Badge(RiskTier tier, TimeSpan waited) =>
        Render<SlaBadge>(p => p.Add(b => b.Age, ReviewSla.Default.Measure(tier, Now - waited, Now))).Find("[data-testid=sla-badge]");

    [Fact]
    public void Within_the_sla_it_reads_age_of_sla()
    {
        var badge = Badge(RiskTier.High, TimeSpan.FromHours(1.5));

        Assert.Equal("1 h 30 min of 4 h", badge.QuerySelector(".sla-text")!.TextContent);
        Assert.Equal("within", badge.GetAttribute("data-sla-status"));
        Assert.Null(badge.QuerySelector(".sla-state"));
        Assert.Null(badge.QuerySelector(".sla-icon"));
        Assert.Equal("Waiting 1 h 30 min; this tier's SLA is 4 h.", badge.GetAttribute("title"));
    }

    [Fact]
    public void Near_the_deadline_it_says_due_soon_in_words()
    {
        var badge = Badge(RiskTier.High, TimeSpan.FromHours(3));

        Assert.Equal("3 h of 4 h · due soon", Normalize(badge.TextContent));
        Assert.Equal("duesoon", badge.GetAttribute("data-sla-status"));
        Assert.Contains("sla-duesoon", badge.ClassList);
    }

    [Fact]
    public void A_breach_is_said_in_words_and_with_an_icon_not_by_colour_alone()
    {
        var badge = Badge(RiskTier.Critical, TimeSpan.FromHours(5));

        Assert.Equal("5 h of 2 h · SLA breached", Normalize(badge.TextContent));
        Assert.Contains("sla-breached", badge.ClassList);
        Assert.Equal("breached", badge.GetAttribute("data-sla-status"));
        // The icon repeats what the words say, so screen readers skip it.
        Assert.Equal("true", badge.QuerySelector(".sla-icon")!.GetAttribute("aria-hidden"));
    }

    private static string Normalize(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
