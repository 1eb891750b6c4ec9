using ReviewPortal.Domain.Decisions;
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
    bool IsAgentAuthored)
{
    /// <summary>Agent-authored without an agent session id: it cannot be traced to its run.</summary>
    public bool IsUntraced => IsAgentAuthored && AgentSessionId is null;
}
