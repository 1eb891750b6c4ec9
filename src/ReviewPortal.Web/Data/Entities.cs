using Microsoft.AspNetCore.Identity;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Domain.Risk;

namespace ReviewPortal.Web.Data;

public sealed class PortalUser : IdentityUser
{
    public string DisplayName { get; set; } = "";
}

/// <summary>An agent-authored (or human) code change waiting for, or holding, a review decision.</summary>
public sealed class Change
{
    public long Id { get; set; }
    public required string Title { get; set; }
    public required string Repository { get; set; }
    public required string Author { get; set; }
    public string? Prompter { get; set; }
    public string? AgentSessionId { get; set; }
    public string? ModelVersion { get; set; }
    public string? Prompt { get; set; }
    public required string SubmittedBy { get; set; }
    public DateTimeOffset SubmittedAt { get; set; }

    public int RiskScore { get; set; }
    public RiskTier Tier { get; set; }
    public required string RuleSetVersion { get; set; }
    public int Additions { get; set; }
    public int Deletions { get; set; }
    public int FileCount { get; set; }

    public ChangeState State { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    public string? DecidedBy { get; set; }

    /// <summary>PostgreSQL xmin: concurrent decisions on one change resolve to one state.</summary>
    public uint RowVersion { get; set; }

    public List<ChangeFile> Files { get; } = [];
    public List<RiskContributionRecord> RiskContributions { get; } = [];
    public List<Decision> Decisions { get; } = [];
}

public sealed class ChangeFile
{
    public long Id { get; set; }
    public long ChangeId { get; set; }
    public required string Path { get; set; }
    public string? OldContent { get; set; }
    public string? NewContent { get; set; }
    public int Additions { get; set; }
    public int Deletions { get; set; }
}

/// <summary>One rule that fired for a change: its points and where it saw the reason.</summary>
public sealed class RiskContributionRecord
{
    public long Id { get; set; }
    public long ChangeId { get; set; }
    public required string RuleId { get; set; }
    public required string Description { get; set; }
    public int Points { get; set; }
    public List<RuleEvidence> Evidence { get; set; } = [];
}

/// <summary>A reviewer's sign-off, kept with the identity that made it.</summary>
public sealed class Decision
{
    public long Id { get; set; }
    public long ChangeId { get; set; }
    public DecisionKind Kind { get; set; }
    public string? Reason { get; set; }
    public required string ReviewerId { get; set; }
    public required string ReviewerName { get; set; }
    public string? ReviewerEmail { get; set; }
    public DateTimeOffset DecidedAt { get; set; }
}
