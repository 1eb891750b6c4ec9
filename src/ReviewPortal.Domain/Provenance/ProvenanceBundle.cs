using ReviewPortal.Domain.Risk;

namespace ReviewPortal.Domain.Provenance;

/// <summary>Test outcome as reported with a change.</summary>
public sealed record TestResults(int Passed, int Failed, int Skipped)
{
    public int Total => Passed + Failed + Skipped;

    /// <summary>Passing means something ran and nothing failed; a run of zero tests proves nothing.</summary>
    public bool AllPassed => Failed == 0 && Passed > 0;
}

/// <summary>How to undo a change, and what it touches if it has to be undone (required for tiers 3 and 4).</summary>
public sealed record RollbackPlan(string Steps, string? BlastRadius = null);

/// <summary>
/// What a change carries about how it was made. Every field is optional because bundles
/// arrive incomplete (trailers carry only a few); what is missing is shown as missing, never guessed.
/// </summary>
public sealed record ProvenanceBundle(
    string? Prompt = null,
    string? Prompter = null,
    string? AgentSessionId = null,
    string? ModelVersion = null,
    string? ModelParametersHash = null,
    string? AgentTool = null,
    TestResults? Tests = null,
    double? CoveragePercent = null,
    double? PolicyComplianceScore = null,
    IReadOnlyList<SecurityFinding>? SecurityFindings = null,
    RollbackPlan? Rollback = null)
{
    /// <summary>Traced means the agent session is known, so the change can be followed back to it (a pilot KPI).</summary>
    public bool HasSession => !string.IsNullOrWhiteSpace(AgentSessionId);

    /// <summary>A bundle built from the trailers of a PR description; fields trailers cannot carry stay empty.</summary>
    public static ProvenanceBundle FromTrailers(ProvenanceTrailers trailers)
    {
        ArgumentNullException.ThrowIfNull(trailers);
        return new ProvenanceBundle(
            Prompter: trailers.Prompter,
            AgentSessionId: trailers.AgentSession,
            ModelVersion: trailers.Model,
            ModelParametersHash: trailers.ModelParamsHash,
            AgentTool: trailers.AgentTool);
    }
}
