using ReviewPortal.Domain.Queue;
using ReviewPortal.Domain.Risk;

namespace ReviewPortal.Domain.Tests.Queue;

public sealed class ReviewSlaTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(RiskTier.Low, 24)]
    [InlineData(RiskTier.Medium, 8)]
    [InlineData(RiskTier.High, 4)]
    [InlineData(RiskTier.Critical, 2)]
    public void Default_sla_per_tier_is_the_products(RiskTier tier, int hours) =>
        Assert.Equal(TimeSpan.FromHours(hours), ReviewSla.Default.For(tier));

    [Theory]
    [InlineData(RiskTier.High, 180, "3 h of 4 h", SlaStatus.DueSoon)]
    [InlineData(RiskTier.High, 60, "1 h of 4 h", SlaStatus.Within)]
    [InlineData(RiskTier.High, 241, "4 h of 4 h", SlaStatus.Breached)]
    [InlineData(RiskTier.Critical, 25, "25 min of 2 h", SlaStatus.Within)]
    [InlineData(RiskTier.Critical, 95, "1 h 35 min of 2 h", SlaStatus.DueSoon)]
    [InlineData(RiskTier.Low, 3 * 24 * 60, "3 d of 24 h", SlaStatus.Breached)]
    [InlineData(RiskTier.Medium, 0, "0 min of 8 h", SlaStatus.Within)]
    public void Age_reads_as_age_of_sla_with_its_status(RiskTier tier, int minutes, string text, SlaStatus status)
    {
        var age = ReviewSla.Default.Measure(tier, Now.AddMinutes(-minutes), Now);

        Assert.Equal(text, age.Text);
        Assert.Equal(status, age.Status);
        Assert.Equal(status == SlaStatus.Breached, age.IsBreached);
    }

    [Fact]
    public void A_submission_time_in_the_future_counts_as_no_wait()
    {
        var age = ReviewSla.Default.Measure(RiskTier.Low, Now.AddMinutes(5), Now);

        Assert.Equal(TimeSpan.Zero, age.Age);
        Assert.Equal(SlaStatus.Within, age.Status);
    }

    [Fact]
    public void A_configured_sla_is_used_for_its_tier()
    {
        var sla = ReviewSla.Default with { Tier2 = TimeSpan.FromMinutes(90) };

        var age = sla.Measure(RiskTier.Medium, Now.AddMinutes(-100), Now);

        Assert.Equal("1 h 40 min of 1 h 30 min", age.Text);
        Assert.True(age.IsBreached);
    }
}
