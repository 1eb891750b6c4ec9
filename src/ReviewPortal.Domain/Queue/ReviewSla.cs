using ReviewPortal.Domain.Risk;

namespace ReviewPortal.Domain.Queue;

/// <summary>How long a change of each tier may wait for review (by default 24 h, 8 h, 4 h and 2 h for tiers 1 to 4).</summary>
public sealed record ReviewSla(TimeSpan Tier1, TimeSpan Tier2, TimeSpan Tier3, TimeSpan Tier4)
{
    public static ReviewSla Default { get; } = new(TimeSpan.FromHours(24), TimeSpan.FromHours(8), TimeSpan.FromHours(4), TimeSpan.FromHours(2));

    public TimeSpan For(RiskTier tier) => tier switch
    {
        RiskTier.Critical => Tier4,
        RiskTier.High => Tier3,
        RiskTier.Medium => Tier2,
        _ => Tier1,
    };

    /// <summary>How long a change submitted at <paramref name="submittedAt"/> has waited at <paramref name="now"/>, against its tier's SLA.</summary>
    public QueueAge Measure(RiskTier tier, DateTimeOffset submittedAt, DateTimeOffset now)
    {
        var age = now - submittedAt;
        return new QueueAge(age < TimeSpan.Zero ? TimeSpan.Zero : age, For(tier));
    }
}

public enum SlaStatus
{
    Within,

    /// <summary>Three quarters or more of the SLA used.</summary>
    DueSoon,
    Breached,
}

/// <summary>A change's time in the queue against its SLA, e.g. "3 h of 4 h".</summary>
public sealed record QueueAge(TimeSpan Age, TimeSpan Sla)
{
    public const double DueSoonFraction = 0.75;

    public SlaStatus Status =>
        Age > Sla ? SlaStatus.Breached
        : Sla > TimeSpan.Zero && Age.Ticks >= Sla.Ticks * DueSoonFraction ? SlaStatus.DueSoon
        : SlaStatus.Within;

    public bool IsBreached => Status == SlaStatus.Breached;

    /// <summary>"3 h of 4 h".</summary>
    public string Text => $"{Format(Age)} of {Format(Sla)}";

    /// <summary>
    /// Whole minutes under an hour, hours and minutes under two hours (so a 90-minute SLA reads as such), whole hours
    /// under two days, whole days beyond.
    /// </summary>
    public static string Format(TimeSpan duration)
    {
        if (duration < TimeSpan.FromHours(1))
        {
            return $"{(int)duration.TotalMinutes} min";
        }

        if (duration < TimeSpan.FromHours(2))
        {
            return duration.Minutes == 0 ? "1 h" : $"1 h {duration.Minutes} min";
        }

        return duration < TimeSpan.FromDays(2) ? $"{(int)duration.TotalHours} h" : $"{(int)duration.TotalDays} d";
    }
}
