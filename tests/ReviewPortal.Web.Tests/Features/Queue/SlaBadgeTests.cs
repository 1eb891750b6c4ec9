using ReviewPortal.Domain.Queue;
using ReviewPortal.Domain.Risk;
using ReviewPortal.Web.Features.Queue;
using ReviewPortal.Web.Tests.Components;

namespace ReviewPortal.Web.Tests.Features.Queue;

public sealed class SlaBadgeTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static Task<AngleSharp.Dom.IDocument> RenderAsync(RiskTier tier, TimeSpan waited) =>
        ComponentRenderer.RenderAsync<SlaBadge>(new Dictionary<string, object?> { ["Age"] = ReviewSla.Default.Measure(tier, Now - waited, Now) });

    [Fact]
    public async Task Within_the_sla_it_reads_age_of_sla()
    {
        var badge = (await RenderAsync(RiskTier.High, TimeSpan.FromHours(1.5))).QuerySelector("[data-testid=sla-badge]")!;

        Assert.Equal("1 h 30 min of 4 h", badge.QuerySelector(".sla-text")!.TextContent);
        Assert.Equal("within", badge.GetAttribute("data-sla-status"));
        Assert.Null(badge.QuerySelector(".sla-state"));
        Assert.Equal("Waiting 1 h 30 min; this tier's SLA is 4 h.", badge.GetAttribute("title"));
    }

    [Fact]
    public async Task Near_the_deadline_it_says_due_soon_in_words()
    {
        var badge = (await RenderAsync(RiskTier.High, TimeSpan.FromHours(3))).QuerySelector("[data-testid=sla-badge]")!;

        Assert.Equal("3 h of 4 h · due soon", Normalize(badge.TextContent));
        Assert.Contains("sla-duesoon", badge.ClassList);
    }

    [Fact]
    public async Task A_breach_is_said_in_words_and_with_an_icon_not_by_colour_alone()
    {
        var badge = (await RenderAsync(RiskTier.Critical, TimeSpan.FromHours(5))).QuerySelector("[data-testid=sla-badge]")!;

        Assert.Equal("⚠ 5 h of 2 h · SLA breached", Normalize(badge.TextContent));
        Assert.Contains("sla-breached", badge.ClassList);
        Assert.Equal("breached", badge.GetAttribute("data-sla-status"));
        // The icon repeats what the words say, so screen readers skip it.
        Assert.Equal("true", badge.QuerySelector(".sla-icon")!.GetAttribute("aria-hidden"));
    }

    private static string Normalize(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
