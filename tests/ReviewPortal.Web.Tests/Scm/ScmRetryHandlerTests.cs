using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using ReviewPortal.Testing;
using ReviewPortal.Web.Scm;
using ReviewPortal.Web.Scm.GitHub;

namespace ReviewPortal.Web.Tests.Scm;

/// <summary>The SCM clients' retries against the fake GitHub, over real HTTP.</summary>
public sealed class ScmRetryHandlerTests : IAsyncLifetime
{
    private const string Repo = "acme/retries";
    private FakeScmServer _scm = default!;

    public async Task InitializeAsync()
    {
        _scm = await FakeScmServer.StartAsync();
        _scm.PutPullRequest(Repo, 1, "base", "head", [new FakeFile("a.txt", "a\n", "b\n")]);
    }

    public async Task DisposeAsync() => await _scm.DisposeAsync();

    private GitHubClient Client() =>
        new(new HttpClient(new ScmRetryHandler(TimeProvider.System, NullLogger<ScmRetryHandler>.Instance) { InnerHandler = new HttpClientHandler() }));

    private int FileListRequests() => _scm.Requests.Count(r => r.Request.Contains("/pulls/1/files", StringComparison.Ordinal));

    [Fact]
    public async Task A_429_with_retry_after_is_retried_after_the_wait_the_server_asked_for()
    {
        _scm.FailNext(1, HttpStatusCode.TooManyRequests, retryAfter: "1");
        var watch = Stopwatch.StartNew();

        var files = await Client().GetPullRequestFilesAsync(_scm.GitHubApiBase, "token", Repo, 1, CancellationToken.None);

        Assert.Equal("a.txt", Assert.Single(files).FileName);
        Assert.Equal(2, FileListRequests());
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(0.9), $"retried after {watch.Elapsed.TotalMilliseconds} ms");
    }

    [Fact]
    public async Task Server_errors_are_retried_with_backoff()
    {
        _scm.FailNext(2, HttpStatusCode.BadGateway);

        var files = await Client().GetPullRequestFilesAsync(_scm.GitHubApiBase, "token", Repo, 1, CancellationToken.None);

        Assert.Single(files);
        Assert.Equal(3, FileListRequests());
    }

    [Fact]
    public async Task An_exhausted_rate_limit_far_in_the_future_is_handed_back_with_its_reset_time()
    {
        var reset = DateTimeOffset.UtcNow.AddMinutes(10);
        _scm.FailNext(1, HttpStatusCode.Forbidden, rateLimitReset: reset.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));

        var limited = await Assert.ThrowsAsync<ScmRateLimitedException>(() => Client().GetPullRequestFilesAsync(_scm.GitHubApiBase, "token", Repo, 1, CancellationToken.None));

        Assert.InRange(limited.RetryAt, reset.AddSeconds(-5), reset.AddSeconds(5));
        Assert.Equal(1, FileListRequests());
    }

    [Fact]
    public async Task A_client_error_is_not_retried()
    {
        _scm.FailNext(1, HttpStatusCode.Unauthorized);

        await Assert.ThrowsAsync<HttpRequestException>(() => Client().GetPullRequestFilesAsync(_scm.GitHubApiBase, "token", Repo, 1, CancellationToken.None));

        Assert.Equal(1, FileListRequests());
    }
}
