using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ReviewPortal.Web.Scm.GitLab;

public sealed record GitLabDiffRefs(
    [property: JsonPropertyName("base_sha")] string BaseSha,
    [property: JsonPropertyName("head_sha")] string HeadSha);

public sealed record GitLabChange(
    [property: JsonPropertyName("old_path")] string OldPath,
    [property: JsonPropertyName("new_path")] string NewPath,
    [property: JsonPropertyName("new_file")] bool NewFile,
    [property: JsonPropertyName("renamed_file")] bool RenamedFile,
    [property: JsonPropertyName("deleted_file")] bool DeletedFile);

/// <summary>GET /projects/:id/merge_requests/:iid/changes.</summary>
public sealed record GitLabMergeRequestChanges(
    [property: JsonPropertyName("diff_refs")] GitLabDiffRefs DiffRefs,
    [property: JsonPropertyName("changes")] IReadOnlyList<GitLabChange> Changes);

/// <summary>The few GitLab REST calls the portal needs, on a typed HttpClient (retries in <see cref="ScmRetryHandler"/>).</summary>
public sealed class GitLabClient(HttpClient http)
{
    public async Task<GitLabMergeRequestChanges> GetMergeRequestChangesAsync(string apiBase, string? token, string projectId, int iid, CancellationToken cancellationToken)
    {
        using var request = Request($"{apiBase}/projects/{Uri.EscapeDataString(projectId)}/merge_requests/{iid}/changes", token);
        using var response = await http.SendAsync(request, cancellationToken);
        response.EnsureScmSuccess();
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        return await JsonSerializer.DeserializeAsync<GitLabMergeRequestChanges>(stream, cancellationToken: cancellationToken)
               ?? throw new InvalidDataException("GitLab returned no merge request changes.");
    }

    /// <summary>The raw bytes of a file at a commit, or null when it does not exist there.</summary>
    public async Task<byte[]?> GetRawFileAsync(string apiBase, string? token, string projectId, string path, string sha, CancellationToken cancellationToken)
    {
        using var request = Request($"{apiBase}/projects/{Uri.EscapeDataString(projectId)}/repository/files/{Uri.EscapeDataString(path)}/raw?ref={Uri.EscapeDataString(sha)}", token);
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureScmSuccess();
        return await response.Content.ReadAsByteArrayAsync(cancellationToken);
    }

    private static HttpRequestMessage Request(string uri, string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (!string.IsNullOrEmpty(token))
        {
            request.Headers.Add("PRIVATE-TOKEN", token);
        }

        return request;
    }
}
