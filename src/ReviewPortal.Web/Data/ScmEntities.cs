namespace ReviewPortal.Web.Data;

public enum ScmProvider
{
    GitHub,
    GitLab,
    LocalGit,
}

/// <summary>A repository an admin registered; its credentials are stored encrypted with ASP.NET Data Protection.</summary>
public sealed class ScmRepository
{
    public long Id { get; set; }
    public ScmProvider Provider { get; set; }

    /// <summary>owner/name (GitHub), group/project (GitLab), or a display name (local git).</summary>
    public required string Name { get; set; }

    /// <summary>GitLab's numeric project id (or url-encoded path); unused elsewhere.</summary>
    public string? ProjectId { get; set; }

    /// <summary>REST API base, e.g. https://api.github.com or https://gitlab.example.com/api/v4; tests point it at a fake.</summary>
    public string? ApiBaseUrl { get; set; }

    /// <summary>Working copy on disk, for the local git provider.</summary>
    public string? LocalPath { get; set; }

    public string? ProtectedAccessToken { get; set; }
    public string? ProtectedWebhookSecret { get; set; }
    public string DefaultBranch { get; set; } = "main";

    /// <summary>Authors whose changes count as agent-authored (e.g. "*[bot]").</summary>
    public List<string> AgentAccounts { get; set; } = [];

    /// <summary>Labels that mark a change as agent-authored.</summary>
    public List<string> AgentLabels { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }
    public bool IsActive { get; set; } = true;
}

public enum DeliveryStatus
{
    Pending,
    Done,
    Failed,
}

/// <summary>
/// A webhook delivery as it arrived (raw body), persisted before it is answered and processed later by the inbox
/// worker, so a crash between the two loses nothing. Unique per repository and delivery id: redeliveries dedupe.
/// </summary>
public sealed class WebhookDelivery
{
    public long Id { get; set; }
    public long RepositoryId { get; set; }
    public ScmProvider Provider { get; set; }
    public required string DeliveryId { get; set; }
    public required string EventType { get; set; }
    public required string Payload { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
    public DeliveryStatus Status { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset? ProcessedAt { get; set; }
    public long? ChangeId { get; set; }
}
