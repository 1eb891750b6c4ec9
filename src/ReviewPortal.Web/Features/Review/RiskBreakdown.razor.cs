using System.Globalization;
using Microsoft.AspNetCore.Components;
using ReviewPortal.Domain.Risk;
using ReviewPortal.Web.Data;

namespace ReviewPortal.Web.Features.Review;

/// <summary>Why the revision scored what it did: each rule that fired, its points and its evidence, and the tier thresholds.</summary>
public partial class RiskBreakdown
{
    /// <summary>The scored revision, with its risk contributions loaded.</summary>
    [Parameter, EditorRequired]
    public ChangeRevision Revision { get; set; } = default!;

    [Parameter]
    public TierThresholds? Thresholds { get; set; }

    private string ThresholdsText =>
        string.Create(CultureInfo.InvariantCulture, $"Revision {Revision.Number}, rule set {Revision.RuleSetVersion}.")
        + (Thresholds is { } t ? string.Create(CultureInfo.InvariantCulture, $" Tier 4 from {t.Critical}, tier 3 from {t.High}, tier 2 from {t.Medium}.") : "");
}
