using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ReviewPortal.Testing;
using ReviewPortal.Web.Features.Ingest.Webhooks;
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
    [Trait("Category", "BadInput")]
    public async Task A_client_error_is_not_retried_and_is_a_permanent_failure_naming_the_call()
    {
        _scm.FailNext(1, HttpStatusCode.Unauthorized);

        var rejected = await Assert.ThrowsAsync<ScmRequestRejectedException>(() => Client().GetPullRequestFilesAsync(_scm.GitHubApiBase, "token", Repo, 1, CancellationToken.None));

        Assert.Equal(1, FileListRequests());
        Assert.Equal(HttpStatusCode.Unauthorized, rejected.StatusCode);
        Assert.StartsWith($"SCM call GET {_scm.GitHubApiBase}/repos/{Repo}/pulls/1/files?per_page=100&page=1 answered 401", rejected.Message, StringComparison.Ordinal);
        Assert.True(InboxWorker.IsPermanent(rejected));
    }

    [Theory]
    [Trait("Category", "BadInput")]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.TooManyRequests)]
    [InlineData(HttpStatusCode.RequestTimeout)]
    public async Task A_5xx_429_or_408_that_outlasts_the_retries_is_transient_and_names_the_call(HttpStatusCode status)
    {
        _scm.FailNext(5, status, retryAfter: "0");

        var failed = await Assert.ThrowsAsync<HttpRequestException>(() => Client().GetPullRequestFilesAsync(_scm.GitHubApiBase, "token", Repo, 1, CancellationToken.None));

        Assert.Equal(5, FileListRequests());
        Assert.Equal(status, failed.StatusCode);
        Assert.StartsWith($"SCM call GET {_scm.GitHubApiBase}/repos/{Repo}/pulls/1/files", failed.Message, StringComparison.Ordinal);
        Assert.False(InboxWorker.IsPermanent(failed));
    }

    [Fact]
    [Trait("Category", "BadInput")]
    public async Task A_retry_after_a_network_error_is_logged_with_the_method_and_url()
    {
        var logger = new RecordingLogger();
        using var http = new HttpClient(new ScmRetryHandler(TimeProvider.System, logger) { InnerHandler = new FailOnceHandler { InnerHandler = new HttpClientHandler() } });

        var files = await new GitHubClient(http).GetPullRequestFilesAsync(_scm.GitHubApiBase, "token", Repo, 1, CancellationToken.None);

        Assert.Single(files);
        var retry = Assert.Single(logger.Messages);
        Assert.StartsWith($"SCM call GET {_scm.GitHubApiBase}/repos/{Repo}/pulls/1/files?per_page=100&page=1 failed (HttpRequestException)", retry, StringComparison.Ordinal);
    }

    /// <summary>The first request fails as a refused connection does; later ones go through.</summary>
    private sealed class FailOnceHandler : DelegatingHandler
    {
        private int _calls;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref _calls) == 1 ? throw new HttpRequestException("Connection refused") : base.SendAsync(request, cancellationToken);
    }

    private sealed class RecordingLogger : ILogger<ScmRetryHandler>
    {
        public ConcurrentQueue<string> Messages { get; } = new();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Messages.Enqueue(formatter(state, exception));
    }
}
