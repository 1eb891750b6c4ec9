using ReviewPortal.Domain.Provenance;
using ReviewPortal.Domain.Risk;

namespace ReviewPortal.Web.Features.Ingest;

/// <summary>The provenance fields, shared by a submission and by a bundle attached later.</summary>
public interface IProvenanceFields
{
    string? Prompt { get; }
    string? Prompter { get; }
    string? AgentSessionId { get; }
    string? ModelVersion { get; }
    string? ModelParametersHash { get; }
    string? AgentTool { get; }
    SubmittedTests? Tests { get; }
    double? CoveragePercent { get; }
    double? PolicyComplianceScore { get; }
    IReadOnlyList<SubmittedFinding?>? SecurityFindings { get; }
    SubmittedRollbackPlan? RollbackPlan { get; }
}

/// <summary>The body of <c>POST /api/changes</c>: a change, its files and its provenance, as an agent or CI submits it.</summary>
public sealed record SubmitChangeRequest(
    string? Title,
    string? Repository,
    string? Author,
    string? Prompter,
    string? AgentSessionId,
    string? ModelVersion,
    string? Prompt,
    IReadOnlyList<SubmittedFile?>? Files,
    string? ModelParametersHash = null,
    string? AgentTool = null,
    SubmittedTests? Tests = null,
    double? CoveragePercent = null,
    double? PolicyComplianceScore = null,
    IReadOnlyList<SubmittedFinding?>? SecurityFindings = null,
    SubmittedRollbackPlan? RollbackPlan = null) : IProvenanceFields;

/// <summary>
/// The body of <c>POST /api/changes/provenance</c>: a provenance bundle for a change that arrived by webhook, found
/// by repository + pull/merge request number, or by its head commit.
/// </summary>
public sealed record AttachProvenanceRequest(
    string? Repository,
    int? Number,
    string? HeadSha,
    string? Prompt = null,
    string? Prompter = null,
    string? AgentSessionId = null,
    string? ModelVersion = null,
    string? ModelParametersHash = null,
    string? AgentTool = null,
    SubmittedTests? Tests = null,
    double? CoveragePercent = null,
    double? PolicyComplianceScore = null,
    IReadOnlyList<SubmittedFinding?>? SecurityFindings = null,
    SubmittedRollbackPlan? RollbackPlan = null) : IProvenanceFields;

/// <summary>A file with its content before and after; null old content = added, null new content = deleted.</summary>
public sealed record SubmittedFile(string? Path, string? OldContent, string? NewContent);

public sealed record SubmittedTests(int? Passed, int? Failed, int? Skipped);

public sealed record SubmittedFinding(string? Severity, string? Title, string? Path = null);

public sealed record SubmittedRollbackPlan(string? Steps, string? BlastRadius);

public sealed record SubmitChangeResponse(long Id, int RiskScore, int Tier, string TierName, string RuleSetVersion, string ReviewUrl);

public static class ProvenanceFieldsExtensions
{
    /// <summary>The validated fields as the domain's bundle; call only after validation passed.</summary>
    public static ProvenanceBundle ToBundle(this IProvenanceFields fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        return new ProvenanceBundle(
            Blank(fields.Prompt),
            Blank(fields.Prompter),
            Blank(fields.AgentSessionId),
            Blank(fields.ModelVersion),
            Blank(fields.ModelParametersHash),
            Blank(fields.AgentTool),
            fields.Tests is { } t ? new TestResults(t.Passed ?? 0, t.Failed ?? 0, t.Skipped ?? 0) : null,
            fields.CoveragePercent,
            fields.PolicyComplianceScore,
            fields.SecurityFindings?.Select(f => new SecurityFinding(Enum.Parse<FindingSeverity>(f!.Severity!, ignoreCase: true), f.Title!.Trim(), Blank(f.Path))).ToList(),
            fields.RollbackPlan is { Steps: { } steps } plan ? new RollbackPlan(steps.Trim(), Blank(plan.BlastRadius)) : null);
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
