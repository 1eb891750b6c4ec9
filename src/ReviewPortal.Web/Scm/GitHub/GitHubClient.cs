using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ReviewPortal.Web.Scm.GitHub;

/// <summary>One entry of GET /repos/{owner}/{repo}/pulls/{number}/files.</summary>
public sealed record GitHubPullRequestFile(
    [property: JsonPropertyName("filename")] string FileName,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("additions")] int Additions,
    [property: JsonPropertyName("deletions")] int Deletions,
    [property: JsonPropertyName("previous_filename")] string? PreviousFileName);

/// <summary>The few GitHub REST calls the portal needs, on a typed HttpClient (retries in <see cref="ScmRetryHandler"/>).</summary>
public sealed class GitHubClient(HttpClient http)
{
    public const int MaxFiles = 3000;

    /// <summary>Every file of a pull request, following pagination (GitHub lists at most 3,000).</summary>
    public async Task<IReadOnlyList<GitHubPullRequestFile>> GetPullRequestFilesAsync(string apiBase, string? token, string repository, int number, CancellationToken cancellationToken)
    {
        var files = new List<GitHubPullRequestFile>();
        for (var page = 1; files.Count < MaxFiles; page++)
        {
            using var request = Request(HttpMethod.Get, $"{apiBase}/repos/{repository}/pulls/{number}/files?per_page=100&page={page}", token, "application/vnd.github+json");
            using var response = await http.SendAsync(request, cancellationToken);
            response.EnsureScmSuccess();
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            var batch = await JsonSerializer.DeserializeAsync<List<GitHubPullRequestFile>>(stream, cancellationToken: cancellationToken) ?? [];
            files.AddRange(batch);
            if (batch.Count < 100)
            {
                break;
            }
        }

        return files;
    }

    /// <summary>The raw bytes of a file at a commit, or null when it does not exist there.</summary>
    public async Task<byte[]?> GetFileContentAsync(string apiBase, string? token, string repository, string path, string sha, CancellationToken cancellationToken)
    {
        var escapedPath = string.Join('/', path.Split('/').Select(Uri.EscapeDataString));
        using var request = Request(HttpMethod.Get, $"{apiBase}/repos/{repository}/contents/{escapedPath}?ref={Uri.EscapeDataString(sha)}", token, "application/vnd.github.raw+json");
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureScmSuccess();
        return await response.Content.ReadAsByteArrayAsync(cancellationToken);
    }

    private static HttpRequestMessage Request(HttpMethod method, string uri, string? token, string accept)
    {
        var request = new HttpRequestMessage(method, uri);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        request.Headers.Add("X-GitHub-Api-Version", "2022-11-28");
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("ReviewPortal", "1.0"));
        if (!string.IsNullOrEmpty(token))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }
}
