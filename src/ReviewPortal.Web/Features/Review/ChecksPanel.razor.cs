using Microsoft.AspNetCore.Components;
using ReviewPortal.Domain.Provenance;
using ReviewPortal.Domain.Risk;

namespace ReviewPortal.Web.Features.Review;

/// <summary>What the agent reported with the change: tests, coverage, policy score and security findings.</summary>
public partial class ChecksPanel
{
    [Parameter]
    public ProvenanceBundle? Bundle { get; set; }

    private static string FindingsSummary(IReadOnlyList<SecurityFinding> findings) =>
        string.Join(", ", findings.GroupBy(f => f.Severity).OrderByDescending(g => g.Key).Select(g => $"{g.Count()} {g.Key.ToString().ToLowerInvariant()}"));
}
