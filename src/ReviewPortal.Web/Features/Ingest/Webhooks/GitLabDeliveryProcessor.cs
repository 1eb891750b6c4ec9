using System.Text.Json.Serialization;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Infrastructure.Security;
using ReviewPortal.Web.Scm.GitLab;

namespace ReviewPortal.Web.Features.Ingest.Webhooks;

/// <summary>
/// The parts of GitLab's merge request webhook payload the portal reads. Members without a default are required and
/// non-nullable ones may not be null: <see cref="WebhookPayload"/> enforces both.
/// </summary>
public sealed record GitLabMergeRequestEvent(
    [property: JsonPropertyName("user")] GitLabUser User,
    [property: JsonPropertyName("object_attributes")] GitLabMergeRequestAttributes Attributes,
    [property: JsonPropertyName("labels")] IReadOnlyList<GitLabLabel>? Labels = null);

public sealed record GitLabUser([property: JsonPropertyName("username")] string Username);

public sealed record GitLabLabel([property: JsonPropertyName("title")] string Title);

public sealed record GitLabCommit([property: JsonPropertyName("id")] string Id);

public sealed record GitLabMergeRequestAttributes(
    [property: JsonPropertyName("iid")] int Iid,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("source_branch")] string SourceBranch,
    [property: JsonPropertyName("target_branch")] string TargetBranch,
    [property: JsonPropertyName("last_commit")] GitLabCommit LastCommit,
    [property: JsonPropertyName("description")] string? Description = null,
    [property: JsonPropertyName("url")] string? Url = null,
    [property: JsonPropertyName("action")] string? Action = null,
    [property: JsonPropertyName("oldrev")] string? OldRevision = null);

/// <summary>Turns a stored GitLab merge request delivery into a change or a new revision of one.</summary>
public sealed class GitLabDeliveryProcessor(GitLabClient gitlab, ChangeIngestor ingestor, SecretProtector secrets)
{
    public async Task<long?> ProcessAsync(WebhookDelivery delivery, ScmRepository repository, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        ArgumentNullException.ThrowIfNull(repository);
        var payload = WebhookPayload.Read<GitLabMergeRequestEvent>(delivery.Payload, "merge request");
        var mr = payload.Attributes;
        var apiBase = repository.ApiBaseUrl ?? "https://gitlab.com/api/v4";
        var projectId = repository.ProjectId ?? repository.Name;
        var token = repository.ProtectedAccessToken is { } protectedToken ? secrets.Unprotect(protectedToken) : null;
        // "update" carries oldrev only when commits were pushed; other updates (title, labels) keep the head.
        var newHead = mr.Action is "open" or "reopen" || (mr.Action == "update" && mr.OldRevision is not null);

        var changes = newHead ? await gitlab.GetMergeRequestChangesAsync(apiBase, token, projectId, mr.Iid, cancellationToken) : null;
        var snapshot = new ScmChangeSnapshot(
            mr.Iid, mr.Title, mr.Description, mr.Url, payload.User.Username, mr.SourceBranch, mr.TargetBranch,
            changes?.DiffRefs.HeadSha ?? mr.LastCommit.Id, changes?.DiffRefs.BaseSha ?? "",
            payload.Labels?.OfType<GitLabLabel>().Select(l => l.Title).ToList() ?? [],
            mr.State switch { "merged" => "merged", "closed" => "closed", _ => "open" });

        return await ingestor.IngestAsync(repository, ChangeOrigin.GitLab, snapshot, newHead,
            ct => FetchFilesAsync(apiBase, token, projectId, changes!, ct), cancellationToken);
    }

    private async Task<IReadOnlyList<IncomingFile>> FetchFilesAsync(string apiBase, string? token, string projectId, GitLabMergeRequestChanges changes, CancellationToken cancellationToken)
    {
        var files = new IncomingFile[changes.Changes.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, files.Length), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var change = changes.Changes[i];
            var oldBytes = change.NewFile ? null : await gitlab.GetRawFileAsync(apiBase, token, projectId, change.OldPath, changes.DiffRefs.BaseSha, ct);
            var newBytes = change.DeletedFile ? null : await gitlab.GetRawFileAsync(apiBase, token, projectId, change.NewPath, changes.DiffRefs.HeadSha, ct);
            files[i] = new IncomingFile(change.NewPath, ScmContent.Text(oldBytes), ScmContent.Text(newBytes),
                change.RenamedFile ? change.OldPath : null, ScmContent.IsBinary(oldBytes) || ScmContent.IsBinary(newBytes));
        });
        return files;
    }
}
