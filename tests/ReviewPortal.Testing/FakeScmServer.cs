using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ReviewPortal.Testing;

/// <summary>A file of a fake pull/merge request: its content before (null = added) and after (null = deleted).</summary>
public sealed record FakeFile(string Path, string? OldContent, string? NewContent, string? PreviousPath = null);

/// <summary>
/// A real HTTP server on 127.0.0.1 that answers the GitHub and GitLab REST calls the portal makes, shaped like
/// their documented responses: GitHub <c>GET /repos/{owner}/{repo}/pulls/{n}/files</c> (paginated) and
/// <c>GET /repos/{owner}/{repo}/contents/{path}?ref=</c> (raw media type); GitLab
/// <c>GET /api/v4/projects/{id}/merge_requests/{iid}/changes</c> and <c>/repository/files/{path}/raw?ref=</c>.
/// </summary>
public sealed class FakeScmServer : IAsyncDisposable
{
    private WebApplication _app = default!;
    private readonly ConcurrentDictionary<(string Repository, int Number), IReadOnlyList<FakeFile>> _files = new();
    private readonly ConcurrentDictionary<(string Repository, int Number), (string Base, string Head)> _refs = new();
    private readonly ConcurrentDictionary<(string Repository, string Sha, string Path), byte[]> _contents = new();
    private readonly List<(int Status, string? RetryAfter, string? RateLimitReset, string? PathContains)> _failures = [];

    private FakeScmServer()
    {
    }

    public Uri BaseAddress { get; private set; } = default!;

    public string GitHubApiBase => BaseAddress.ToString().TrimEnd('/');

    public string GitLabApiBase => BaseAddress.ToString().TrimEnd('/') + "/api/v4";

    /// <summary>Every request the fake answered: method, path and query, and the credential header it carried.</summary>
    public ConcurrentQueue<(string Request, string? Credential)> Requests { get; } = new();

    public static async Task<FakeScmServer> StartAsync()
    {
        var server = new FakeScmServer();
        (server._app, var address) = await LoopbackServer.StartAsync(server.Map);
        server.BaseAddress = new Uri(address + "/");
        return server;
    }

    /// <summary>Publishes a pull/merge request's files at base and head commits (GitHub and GitLab share the data).</summary>
    public void PutPullRequest(string repository, int number, string baseSha, string headSha, IReadOnlyList<FakeFile> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        _files[(repository, number)] = files;
        _refs[(repository, number)] = (baseSha, headSha);
        foreach (var file in files)
        {
            if (file.OldContent is not null)
            {
                _contents[(repository, baseSha, file.PreviousPath ?? file.Path)] = Encoding.UTF8.GetBytes(file.OldContent);
            }

            if (file.NewContent is not null)
            {
                _contents[(repository, headSha, file.Path)] = Encoding.UTF8.GetBytes(file.NewContent);
            }
        }
    }

    /// <summary>
    /// The next <paramref name="count"/> requests (only those whose path contains <paramref name="pathContains"/>, when
    /// given, so that other work in flight does not use them up) fail with <paramref name="status"/> and the given
    /// rate-limit headers.
    /// </summary>
    public void FailNext(int count, HttpStatusCode status, string? retryAfter = null, string? rateLimitReset = null, string? pathContains = null)
    {
        lock (_failures)
        {
            for (var i = 0; i < count; i++)
            {
                _failures.Add(((int)status, retryAfter, rateLimitReset, pathContains));
            }
        }
    }

    private (int Status, string? RetryAfter, string? RateLimitReset, string? PathContains)? TakeFailure(string path)
    {
        lock (_failures)
        {
            var index = _failures.FindIndex(f => f.PathContains is null || path.Contains(f.PathContains, StringComparison.Ordinal));
            if (index < 0)
            {
                return null;
            }

            var failure = _failures[index];
            _failures.RemoveAt(index);
            return failure;
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private void Map(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            Requests.Enqueue(($"{context.Request.Method} {context.Request.Path}{context.Request.QueryString}",
                context.Request.Headers.Authorization.FirstOrDefault() ?? context.Request.Headers["PRIVATE-TOKEN"].FirstOrDefault()));
            if (TakeFailure(context.Request.Path.Value ?? "") is { } failure)
            {
                context.Response.StatusCode = failure.Status;
                if (failure.RetryAfter is not null)
                {
                    context.Response.Headers.RetryAfter = failure.RetryAfter;
                }

                if (failure.RateLimitReset is not null)
                {
                    context.Response.Headers["x-ratelimit-remaining"] = "0";
                    context.Response.Headers["x-ratelimit-reset"] = failure.RateLimitReset;
                }

                await context.Response.WriteAsJsonAsync(new { message = "fake failure" });
                return;
            }

            await next(context);
        });

        // A bare endpoint for benchmark baselines: the HTTP stack with nothing behind it.
        app.MapPost("/baseline", async (HttpContext context) =>
        {
            await context.Request.Body.CopyToAsync(Stream.Null);
            return Results.Accepted();
        });

        app.MapGet("/repos/{owner}/{name}/pulls/{number:int}/files", (string owner, string name, int number, int? page, int? per_page) =>
        {
            if (!_files.TryGetValue(($"{owner}/{name}", number), out var files))
            {
                return Results.NotFound(new { message = "Not Found" });
            }

            var size = Math.Clamp(per_page ?? 30, 1, 100);
            var slice = files.Skip(((page ?? 1) - 1) * size).Take(size).Select(f =>
            {
                var lines = Lines(f.OldContent, f.NewContent);
                return new Dictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["sha"] = "0000000000000000000000000000000000000000",
                    ["filename"] = f.Path,
                    ["status"] = f.OldContent is null ? "added" : f.NewContent is null ? "removed" : f.PreviousPath is not null ? "renamed" : "modified",
                    ["additions"] = lines.Added,
                    ["deletions"] = lines.Removed,
                    ["changes"] = lines.Added + lines.Removed,
                    ["previous_filename"] = f.PreviousPath,
                };
            });
            return Results.Json(slice);
        });

        app.MapGet("/repos/{owner}/{name}/contents/{**path}", (HttpContext context, string owner, string name, string path, string @ref) =>
            _contents.TryGetValue(($"{owner}/{name}", @ref, path), out var bytes)
                && context.Request.Headers.Accept.ToString().Contains("application/vnd.github.raw", StringComparison.Ordinal)
                ? Results.Bytes(bytes, "application/vnd.github.raw")
                : Results.NotFound(new { message = "Not Found" }));

        app.MapGet("/api/v4/projects/{project}/merge_requests/{iid:int}/changes", (string project, int iid) =>
        {
            var repository = Uri.UnescapeDataString(project);
            if (!_files.TryGetValue((repository, iid), out var files) || !_refs.TryGetValue((repository, iid), out var refs))
            {
                return Results.NotFound(new { message = "404 Not found" });
            }

            return Results.Json(new
            {
                iid,
                diff_refs = new { base_sha = refs.Base, head_sha = refs.Head, start_sha = refs.Base },
                changes = files.Select(f => new
                {
                    old_path = f.PreviousPath ?? f.Path,
                    new_path = f.Path,
                    new_file = f.OldContent is null,
                    renamed_file = f.PreviousPath is not null,
                    deleted_file = f.NewContent is null,
                    diff = "",
                }),
            });
        });

        app.MapGet("/api/v4/projects/{project}/repository/files/{**path}", (string project, string path, string @ref) =>
        {
            var filePath = Uri.UnescapeDataString(path);
            if (!filePath.EndsWith("/raw", StringComparison.Ordinal))
            {
                return Results.NotFound();
            }

            return _contents.TryGetValue((Uri.UnescapeDataString(project), @ref, filePath[..^4]), out var bytes)
                ? Results.Bytes(bytes, "text/plain")
                : Results.NotFound(new { message = "404 File Not Found" });
        });
    }

    private static (int Added, int Removed) Lines(string? oldContent, string? newContent)
    {
        var before = (oldContent ?? "").Split('\n');
        var after = (newContent ?? "").Split('\n');
        return (after.Except(before, StringComparer.Ordinal).Count(), before.Except(after, StringComparer.Ordinal).Count());
    }
}

/// <summary>Webhook payloads shaped like GitHub's and GitLab's documented ones, for tests and benchmarks.</summary>
public static class ScmPayloads
{
    public static string GitHubPullRequest(string action, string repository, int number, string baseSha, string headSha,
        string title = "Agent change", string? body = null, string author = "payments-agent[bot]", IReadOnlyList<string>? labels = null, bool merged = false, string? padding = null) =>
        JsonSerializer.Serialize(new
        {
            action,
            number,
            pull_request = new
            {
                url = $"https://api.github.com/repos/{repository}/pulls/{number}",
                id = 1000 + number,
                number,
                state = action == "closed" ? "closed" : "open",
                locked = false,
                title,
                body = body + padding,
                html_url = $"https://github.com/{repository}/pull/{number}",
                user = new { login = author, id = 42, type = author.EndsWith("[bot]", StringComparison.Ordinal) ? "Bot" : "User" },
                labels = (labels ?? []).Select(l => new { name = l }),
                merged,
                head = new { label = "acme:agent/change", @ref = $"agent/change-{number}", sha = headSha },
                @base = new { label = "acme:main", @ref = "main", sha = baseSha },
                created_at = "2026-11-20T10:00:00Z",
                updated_at = "2026-11-22T10:00:00Z",
            },
            repository = new { id = 7, name = repository.Split('/')[1], full_name = repository, @private = true },
            sender = new { login = author },
        });

    public static string GitLabMergeRequest(string action, string project, int iid, string headSha, string? oldRevision = null,
        string title = "Agent change", string? description = null, string author = "gitlab-agent-bot", IReadOnlyList<string>? labels = null) =>
        JsonSerializer.Serialize(new
        {
            object_kind = "merge_request",
            event_type = "merge_request",
            user = new { id = 1, name = author, username = author },
            project = new { id = 15, path_with_namespace = project },
            object_attributes = new
            {
                iid,
                title,
                description,
                url = $"https://gitlab.example.com/{project}/-/merge_requests/{iid}",
                state = action switch { "merge" => "merged", "close" => "closed", _ => "opened" },
                action,
                source_branch = $"agent/change-{iid}",
                target_branch = "main",
                last_commit = new { id = headSha, message = "change" },
                oldrev = oldRevision,
            },
            labels = (labels ?? []).Select(l => new { title = l }),
        });
}
