namespace ReviewPortal.Web.Features.Ingest;

/// <summary>The body of <c>POST /api/changes</c>: a change and its provenance, as an agent or CI submits it.</summary>
public sealed record SubmitChangeRequest(
    string? Title,
    string? Repository,
    string? Author,
    string? Prompter,
    string? AgentSessionId,
    string? ModelVersion,
    string? Prompt,
    IReadOnlyList<SubmittedFile?>? Files);

/// <summary>A file with its content before and after; null old content = added, null new content = deleted.</summary>
public sealed record SubmittedFile(string? Path, string? OldContent, string? NewContent);

public sealed record SubmitChangeResponse(long Id, int RiskScore, int Tier, string TierName, string RuleSetVersion, string ReviewUrl);
