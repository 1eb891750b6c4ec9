using System.Globalization;
using Microsoft.Extensions.Logging;
using ReviewPortal.Web.Scm.LocalGit;

namespace ReviewPortal.Demo;

/// <summary>
/// Creates the demo's git repository on disk (main's history and the branches of <see cref="DemoChanges"/>), or reuses
/// it when it is already there. It is built in a sibling folder and moved into place, so a crash never leaves half a
/// repository behind, and two hosts starting at once end up sharing one.
/// </summary>
public sealed class DemoGitRepository(LocalGitClient git, TimeProvider clock, ILogger<DemoGitRepository> logger)
{
    // Commits are made as configured here, not as whoever runs the demo: it works with no git identity set up,
    // and ignores a user's signing and hook settings.
    private static readonly string[] CommitSettings =
        ["-c", "user.name=ReviewPortal Demo", "-c", "user.email=demo@reviewportal.local", "-c", "commit.gpgsign=false", "-c", "core.autocrlf=false"];

    /// <summary>The full path of the ready repository.</summary>
    public async Task<string> EnsureAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var target = Path.GetFullPath(path);
        if (await IsRepositoryAsync(target, cancellationToken))
        {
            logger.LogInformation("Demo git repository reused: {Path}", target);
            return target;
        }

        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any())
        {
            throw new InvalidOperationException(
                $"{target} exists but is not a git repository with a '{DemoChanges.DefaultBranch}' branch. Delete it, or set Demo:GitRepositoryPath to another folder.");
        }

        var staging = $"{target}.creating-{Guid.NewGuid():N}";
        Directory.CreateDirectory(staging);
        try
        {
            await BuildAsync(staging, cancellationToken);
            if (Directory.Exists(target))
            {
                Directory.Delete(target);
            }

            Directory.Move(staging, target);
        }
        catch (IOException)
        {
            Directory.Delete(staging, recursive: true);
            if (!await IsRepositoryAsync(target, cancellationToken))
            {
                throw;
            }

            // Another host created it first: use theirs.
            return target;
        }
        catch
        {
            Directory.Delete(staging, recursive: true);
            throw;
        }

        logger.LogInformation("Demo git repository created: {Path} ({Commits} commits on {Branch}, {Branches} branches under review).",
            target, DemoChanges.MainHistory.Count, DemoChanges.DefaultBranch, DemoChanges.Branches.Count);
        return target;
    }

    /// <summary>
    /// Pushes <paramref name="branch"/>'s follow-up commit onto it, as its agent would after a review, unless the branch
    /// already has it (a reused repository). Returns whether it committed.
    /// </summary>
    public async Task<bool> PushFollowUpAsync(string path, DemoBranch branch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(branch);
        if (branch.FollowUp is not { } followUp)
        {
            return false;
        }

        var ahead = await git.RunCheckedAsync(path, ["rev-list", "--count", $"{DemoChanges.DefaultBranch}..{branch.Name}"], cancellationToken);
        if (int.Parse(ahead.OutputText.Trim(), CultureInfo.InvariantCulture) > 1)
        {
            return false;
        }

        await git.RunCheckedAsync(path, ["checkout", "--quiet", branch.Name], cancellationToken);
        try
        {
            await CommitAsync(path, followUp, clock.GetUtcNow(), cancellationToken);
        }
        finally
        {
            await git.RunCheckedAsync(path, ["checkout", "--quiet", DemoChanges.DefaultBranch], CancellationToken.None);
        }

        return true;
    }

    private async Task<bool> IsRepositoryAsync(string path, CancellationToken cancellationToken) =>
        Directory.Exists(Path.Combine(path, ".git"))
        && (await git.RunAsync(path, ["rev-parse", "--verify", "--quiet", $"refs/heads/{DemoChanges.DefaultBranch}"], cancellationToken)).ExitCode == 0;

    private async Task BuildAsync(string path, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await git.RunCheckedAsync(path, ["init", "--quiet", $"--initial-branch={DemoChanges.DefaultBranch}"], cancellationToken);
        foreach (var commit in DemoChanges.MainHistory)
        {
            await CommitAsync(path, commit, now, cancellationToken);
        }

        foreach (var branch in DemoChanges.Branches)
        {
            await git.RunCheckedAsync(path, ["checkout", "--quiet", "-b", branch.Name, DemoChanges.DefaultBranch], cancellationToken);
            await CommitAsync(path, branch.Commit, now, cancellationToken);
        }

        await git.RunCheckedAsync(path, ["checkout", "--quiet", DemoChanges.DefaultBranch], cancellationToken);
    }

    private async Task CommitAsync(string path, DemoCommit commit, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var file in commit.Files)
        {
            var full = Path.Combine(path, file.Path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            await File.WriteAllTextAsync(full, file.Content, cancellationToken);
        }

        await git.RunCheckedAsync(path, ["add", "--all"], cancellationToken);
        // Git's internal date format: seconds since the epoch and a zone, read the same everywhere.
        var date = string.Create(CultureInfo.InvariantCulture, $"@{(now - commit.Age).ToUnixTimeSeconds()} +0000");
        await git.RunCheckedAsync(path, [.. CommitSettings, "commit", "--quiet", "--no-verify", "--allow-empty", "-m", commit.Message], cancellationToken,
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["GIT_AUTHOR_NAME"] = commit.Author.Name,
                ["GIT_AUTHOR_EMAIL"] = commit.Author.Email,
                ["GIT_AUTHOR_DATE"] = date,
                ["GIT_COMMITTER_NAME"] = commit.Author.Name,
                ["GIT_COMMITTER_EMAIL"] = commit.Author.Email,
                ["GIT_COMMITTER_DATE"] = date,
            });
    }
}
