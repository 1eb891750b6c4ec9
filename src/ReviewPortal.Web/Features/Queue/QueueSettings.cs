using System.Globalization;
using ReviewPortal.Domain.Queue;
using ReviewPortal.Domain.Risk;

namespace ReviewPortal.Web.Features.Queue;

/// <summary><c>Review:Sla</c>: how long each tier may wait for review, in hours (fractions allowed).</summary>
public sealed class SlaSettings
{
    public const string Section = "Review:Sla";

    public double Tier1Hours { get; set; } = 24;
    public double Tier2Hours { get; set; } = 8;
    public double Tier3Hours { get; set; } = 4;
    public double Tier4Hours { get; set; } = 2;

    public ReviewSla ToSla() => new(TimeSpan.FromHours(Tier1Hours), TimeSpan.FromHours(Tier2Hours), TimeSpan.FromHours(Tier3Hours), TimeSpan.FromHours(Tier4Hours));

    internal bool IsValid() => new[] { Tier1Hours, Tier2Hours, Tier3Hours, Tier4Hours }.All(h => h is > 0 and <= 24 * 365);
}

/// <summary><c>Review:Assignment</c>: automatic assignment of changes to the least-loaded eligible reviewer.</summary>
public sealed class AssignmentSettings
{
    public const string Section = "Review:Assignment";

    /// <summary>Runs the background assigner on this instance (any number of instances may; one pass runs at a time).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Comma-separated tiers assigned automatically.</summary>
    public string Tiers { get; set; } = "2,3,4";

    public bool SecurityReviewersTakeTiers1To3 { get; set; }

    /// <summary>Seconds between passes; a change arriving or rising in tier also starts one at once.</summary>
    public int IntervalSeconds { get; set; } = 10;

    public AssignmentRules ToRules() => new(ParseTiers(Tiers) ?? [], SecurityReviewersTakeTiers1To3);

    internal bool IsValid() => ParseTiers(Tiers) is not null && IntervalSeconds is >= 1 and <= 3600;

    private static HashSet<RiskTier>? ParseTiers(string? value)
    {
        var tiers = new HashSet<RiskTier>();
        foreach (var part in (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > 4)
            {
                return null;
            }

            tiers.Add((RiskTier)number);
        }

        return tiers;
    }
}
