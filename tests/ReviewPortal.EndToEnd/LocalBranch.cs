using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Features.Admin;
using ReviewPortal.Web.Features.Ingest.LocalGit;
using ReviewPortal.Web.Scm.LocalGit;

namespace ReviewPortal.EndToEnd;

/// <summary>
/// A branch in a local git repository of its own, registered with the portal: an agent commits to it, and a poll (as
/// the API trigger runs it, to completion) turns each new head into a revision of its change.
/// </summary>
internal sealed class LocalBranch : IAsyncDisposable
{
    private readonly IServiceProvider _services;
    private readonly LocalGitClient _git = new(NullLogger<LocalGitClient>.Instance);
    private readonly string _path;
    private ScmRepository _repository = default!;

    private LocalBranch(IServiceProvider services, string path)
    {
        _services = services;
        _path = path;
    }

    public static async Task<LocalBranch> CreateAsync(IServiceProvider services, string branch)
    {
        var path = Path.Combine(Path.GetTempPath(), "reviewportal-tests", $"branch-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        var local = new LocalBranch(services, path);
        await local.RunAsync("init", "--quiet", "--initial-branch=main");
        await local.CommitAsync("base", ("README.md", "readme\n"));
        await local.RunAsync("checkout", "--quiet", "-b", branch);
        local._repository = (await services.GetRequiredService<RepositoryRegistry>().RegisterAsync(new RegisterRepositoryRequest(
            ScmProvider.LocalGit, $"local/{Guid.NewGuid():N}", null, null, null, path, AgentAccounts: ["*@agents.acme.test"]))).Repository;
        return local;
    }

    /// <summary>Writes the files and commits them as the agent; returns the new head.</summary>
    public async Task<string> CommitAsync(string message, params (string Path, string Content)[] files)
    {
        foreach (var (file, content) in files)
        {
            var full = Path.Combine(_path, file);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            await File.WriteAllTextAsync(full, content);
        }

        await RunAsync("add", "--all");
        await RunAsync("-c", "user.name=Docs Agent", "-c", "user.email=agent@agents.acme.test", "-c", "commit.gpgsign=false", "commit", "--quiet", "-m", message);
        return (await RunAsync("rev-parse", "HEAD")).OutputText.Trim();
    }

    /// <summary>Polls the repository to completion and returns the branch's change as stored.</summary>
    public async Task<Change> PollAsync()
    {
        await _services.GetRequiredService<LocalGitPoller>().PollRepositoryAsync(_repository, CancellationToken.None);
        return await ReadAsync();
    }

    public async Task<Change> ReadAsync()
    {
        await using var scope = _services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Changes.AsNoTracking().Include(c => c.Decisions)
            .SingleAsync(c => c.RepositoryId == _repository.Id);
    }

    private Task<GitResult> RunAsync(params string[] arguments) => _git.RunCheckedAsync(_path, arguments);

    public ValueTask DisposeAsync()
    {
        try
        {
            Directory.Delete(_path, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }

        return ValueTask.CompletedTask;
    }
}
