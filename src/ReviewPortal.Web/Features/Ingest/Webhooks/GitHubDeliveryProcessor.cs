using ReviewPortal.Domain.Text;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Infrastructure.Security;
using ReviewPortal.Web.Scm.GitHub;

namespace ReviewPortal.Web.Features.Ingest.Webhooks;

/// <summary>Turns a stored GitHub <c>pull_request</c> delivery into a change or a new revision of one.</summary>
public sealed class GitHubDeliveryProcessor(GitHubClient github, ChangeIngestor ingestor, SecretProtector secrets)
{
    private static readonly HashSet<string> NewHeadActions = new(StringComparer.Ordinal) { "opened", "reopened", "synchronize", "ready_for_review" };

    public async Task<long?> ProcessAsync(WebhookDelivery delivery, ScmRepository repository, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        ArgumentNullException.ThrowIfNull(repository);
        var payload = WebhookPayload.Read<GitHubPullRequestEvent>(delivery.Payload, "pull_request");
        var pr = payload.PullRequest;
        var snapshot = new ScmChangeSnapshot(
            pr.Number, pr.Title, pr.Body, pr.HtmlUrl, pr.User.Login, pr.Head.Ref, pr.Base.Ref, pr.Head.Sha, pr.Base.Sha,
            pr.Labels?.OfType<GitHubLabel>().Select(l => l.Name).ToList() ?? [],
            pr.Merged == true ? "merged" : pr.State);
        var apiBase = repository.ApiBaseUrl ?? "https://api.github.com";
        var token = repository.ProtectedAccessToken is { } protectedToken ? secrets.Unprotect(protectedToken) : null;

        return await ingestor.IngestAsync(repository, ChangeOrigin.GitHub, snapshot, NewHeadActions.Contains(payload.Action),
            ct => FetchFilesAsync(apiBase, token, repository.Name, pr, ct), cancellationToken);
    }

    private async Task<IReadOnlyList<IncomingFile>> FetchFilesAsync(string apiBase, string? token, string repository, GitHubPullRequest pr, CancellationToken cancellationToken)
    {
        var listed = await github.GetPullRequestFilesAsync(apiBase, token, repository, pr.Number, cancellationToken);
        var files = new IncomingFile[listed.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, listed.Count), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var file = listed[i];
            var oldPath = file.PreviousFileName ?? file.FileName;
            var oldBytes = file.Status == "added" ? null : await github.GetFileContentAsync(apiBase, token, repository, oldPath, pr.Base.Sha, ct);
            var newBytes = file.Status == "removed" ? null : await github.GetFileContentAsync(apiBase, token, repository, file.FileName, pr.Head.Sha, ct);
            var binary = ScmContent.IsBinary(oldBytes) || ScmContent.IsBinary(newBytes);
            files[i] = new IncomingFile(file.FileName, ScmContent.Text(oldBytes), ScmContent.Text(newBytes), file.Status == "renamed" ? file.PreviousFileName : null, binary);
        });
        return files;
    }
}

/// <summary>How file bytes from an SCM become the text the portal diffs.</summary>
internal static class ScmContent
{
    /// <summary>Binary by the portal's one rule for file content (<see cref="StorableText.IsBinary(ReadOnlySpan{byte})"/>).</summary>
    public static bool IsBinary(byte[]? content) => content is not null && StorableText.IsBinary(content);

    public static string? Text(byte[]? content) => content is null || IsBinary(content) ? null : StorableText.DecodeScmUtf8(content);
}
