using ReviewPortal.Domain.Decisions;
using ReviewPortal.Domain.Queue;
using ReviewPortal.Domain.Risk;

namespace ReviewPortal.Web.Features.Queue;

public sealed record QueueRow(
    long Id,
    string Title,
    string Repository,
    RiskTier Tier,
    int RiskScore,
    string? ModelVersion,
    string? AgentSessionId,
    ChangeState State,
    string? DecidedBy,
    DateTimeOffset SubmittedAt,
    int Additions,
    int Deletions,
    bool IsAgentAuthored,
    bool IsUntraced,
    string Author,
    string? Prompter,
    string? SourceBranch,
    string? AssignedToId,
    string? AssignedToName)
{
    public ClaimSubject ClaimSubject => new(Tier, State, Author, Prompter, AssignedToId, AssignedToName);
}
