using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using ReviewPortal.Web.Scm.LocalGit;

namespace ReviewPortal.Web.Tests.Features.Ingest.LocalGit;

/// <summary>A real git repository in a temp folder, written to through the git CLI as a developer (or agent) would.</summary>
public sealed class TestGitRepository : IDisposable
{
    private static int _clock;

    private TestGitRepository(string path) => Path = path;

    public string Path { get; }

    public LocalGitClient Git { get; } = new(NullLogger<LocalGitClient>.Instance);

    public static async Task<TestGitRepository> CreateAsync()
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "reviewportal-tests", $"git-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        var repository = new TestGitRepository(path);
        await repository.RunAsync("init", "--quiet", "--initial-branch=main");
        return repository;
    }

    public Task<GitResult> RunAsync(params string[] arguments) => Git.RunCheckedAsync(Path, arguments);

    /// <summary>Writes (null: deletes) the files, commits them on the current branch, and returns the new head.</summary>
    public async Task<string> CommitAsync(string message, params (string Path, string? Content)[] files) =>
        await CommitBytesAsync(message, "agent@agents.acme.test", files.Select(f => (f.Path, f.Content is null ? null : Encoding.UTF8.GetBytes(f.Content))).ToArray());

    public async Task<string> CommitBytesAsync(string message, string authorEmail, params (string Path, byte[]? Content)[] files)
    {
        foreach (var (path, content) in files)
        {
            var full = System.IO.Path.Combine(Path, path);
            if (content is null)
            {
                File.Delete(full);
                continue;
            }

            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
            await File.WriteAllBytesAsync(full, content);
        }

        await RunAsync("add", "--all");
        // Distinct, increasing commit times keep the history deterministic.
        var date = $"@{1_790_000_000 + Interlocked.Increment(ref _clock) * 60} +0000";
        await Git.RunCheckedAsync(Path, ["-c", "user.name=Test Agent", "-c", $"user.email={authorEmail}", "-c", "commit.gpgsign=false", "commit", "--quiet", "--allow-empty", "-m", message], default,
            new Dictionary<string, string>(StringComparer.Ordinal) { ["GIT_AUTHOR_DATE"] = date, ["GIT_COMMITTER_DATE"] = date });
        return await HeadAsync();
    }

    public async Task<string> HeadAsync() => (await RunAsync("rev-parse", "HEAD")).OutputText.Trim();

    public Task CheckoutNewAsync(string branch, string from = "main") => RunAsync("checkout", "--quiet", "-b", branch, from);

    public Task CheckoutAsync(string branch) => RunAsync("checkout", "--quiet", branch);

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
