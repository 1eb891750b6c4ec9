using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using ReviewPortal.Domain.Text;

namespace ReviewPortal.Web.Scm.LocalGit;

/// <summary>A local branch and the commit it points at.</summary>
public sealed record GitBranch(string Name, string HeadSha);

public enum GitChangeKind
{
    Added,
    Modified,
    Deleted,
    Renamed,
    Copied,
    TypeChanged,
}

/// <summary>One line of <c>git diff --name-status</c>: the path after the change, and before it for renames and copies.</summary>
public sealed record GitChangedFile(GitChangeKind Kind, string Path, string? PreviousPath = null, int? Similarity = null);

/// <summary>What a commit says about itself: the subject becomes a change's title, the body its description (trailers).</summary>
public sealed record GitCommitInfo(string Sha, string Subject, string Body, string AuthorName, string AuthorEmail, DateTimeOffset AuthoredAt, DateTimeOffset CommittedAt);

/// <summary>The raw outcome of one git command.</summary>
public sealed record GitResult(int ExitCode, byte[] Output, string Error)
{
    public string OutputText => Encoding.UTF8.GetString(Output);
}

/// <summary>A git command failed (non-zero exit, timeout, git missing); the message carries its arguments and stderr.</summary>
public sealed class GitCommandException : Exception
{
    public GitCommandException()
    {
    }

    public GitCommandException(string message)
        : base(message)
    {
    }

    public GitCommandException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public GitCommandException(string message, int exitCode, string error)
        : base(message)
    {
        ExitCode = exitCode;
        Error = error;
    }

    public int? ExitCode { get; }

    public string? Error { get; }
}

/// <summary>
/// Reads and annotates a repository on disk through the <c>git</c> CLI (LibGit2Sharp's native binaries are not
/// available here, docs/decisions/0008). Arguments always go through <see cref="ProcessStartInfo.ArgumentList"/>,
/// never a shell string, so branch names and paths cannot inject anything; every command has a timeout; paths are
/// exchanged NUL-separated and unquoted (<c>core.quotepath=off</c>), so spaces and non-ASCII names round-trip.
/// </summary>
public sealed class LocalGitClient(ILogger<LocalGitClient> logger, TimeSpan? commandTimeout = null)
{
    /// <summary>The notes ref decisions are written to, apart from anyone's own notes.</summary>
    public const string NotesRef = "reviewportal";

    // git notes creates a commit, which needs an identity even where none is configured (CI, containers).
    private const string NotesAuthorName = "ReviewPortal";
    private const string NotesAuthorEmail = "reviewportal@localhost";

    private readonly TimeSpan _timeout = commandTimeout ?? TimeSpan.FromSeconds(30);

    /// <summary>Every local branch (<c>refs/heads</c>) with its head commit, ordered by name.</summary>
    public async Task<IReadOnlyList<GitBranch>> ListBranchesAsync(string repositoryPath, CancellationToken cancellationToken = default)
    {
        var result = await RunCheckedAsync(repositoryPath, ["for-each-ref", "--format=%(objectname) %(refname)", "refs/heads"], cancellationToken);
        // Ref names cannot contain control characters (git check-ref-format), so lines are safe separators.
        return result.OutputText.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', 2))
            .Where(parts => parts.Length == 2 && parts[1].StartsWith("refs/heads/", StringComparison.Ordinal))
            .Select(parts => new GitBranch(parts[1]["refs/heads/".Length..], parts[0]))
            .OrderBy(b => b.Name, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The best common ancestor of two branches, or null when their histories are unrelated.</summary>
    public async Task<string?> MergeBaseAsync(string repositoryPath, string branch, string defaultBranch, CancellationToken cancellationToken = default)
    {
        var result = await RunAsync(repositoryPath, ["merge-base", BranchRef(defaultBranch), BranchRef(branch)], cancellationToken);
        return result.ExitCode switch
        {
            0 => result.OutputText.Trim(),
            1 => null,
            _ => throw Failure(repositoryPath, ["merge-base", defaultBranch, branch], result),
        };
    }

    /// <summary>Whether <paramref name="commit"/> is reachable from <paramref name="branch"/> (false when the commit no longer exists).</summary>
    public async Task<bool> IsAncestorAsync(string repositoryPath, string commit, string branch, CancellationToken cancellationToken = default)
    {
        var result = await RunAsync(repositoryPath, ["merge-base", "--is-ancestor", commit, BranchRef(branch)], cancellationToken);
        return result.ExitCode switch
        {
            0 => true,
            1 => false,
            // 128: the commit is gone (garbage-collected after a force push); it cannot be on the branch.
            128 when result.Error.Contains("Not a valid commit name", StringComparison.Ordinal) => false,
            _ => throw Failure(repositoryPath, ["merge-base", "--is-ancestor", commit, branch], result),
        };
    }

    /// <summary>The files changed between two commits, with renames detected (<c>-M</c>).</summary>
    public async Task<IReadOnlyList<GitChangedFile>> DiffNameStatusAsync(string repositoryPath, string baseSha, string headSha, CancellationToken cancellationToken = default)
    {
        var result = await RunCheckedAsync(repositoryPath, ["diff", "--no-ext-diff", "--name-status", "-z", "-M", baseSha, headSha, "--"], cancellationToken);
        return ParseNameStatus(result.Output);
    }

    /// <summary>
    /// Parses <c>git diff --name-status -z</c>: NUL-separated fields, a status (A, M, D, T, or R/C with a similarity
    /// score) followed by one path, or two (source, destination) for renames and copies.
    /// </summary>
    public static IReadOnlyList<GitChangedFile> ParseNameStatus(ReadOnlySpan<byte> output)
    {
        var fields = Encoding.UTF8.GetString(output).Split('\0');
        var files = new List<GitChangedFile>();
        var i = 0;
        while (i < fields.Length && fields[i].Length > 0)
        {
            var status = fields[i];
            var kind = status[0] switch
            {
                'A' => GitChangeKind.Added,
                'M' => GitChangeKind.Modified,
                'D' => GitChangeKind.Deleted,
                'R' => GitChangeKind.Renamed,
                'C' => GitChangeKind.Copied,
                'T' => GitChangeKind.TypeChanged,
                _ => throw new GitCommandException($"git diff --name-status reported an unknown status '{status}'."),
            };
            if (kind is GitChangeKind.Renamed or GitChangeKind.Copied)
            {
                if (i + 2 >= fields.Length || fields[i + 1].Length == 0 || fields[i + 2].Length == 0)
                {
                    throw new GitCommandException($"git diff --name-status ended inside the entry for status '{status}'.");
                }

                int? similarity = int.TryParse(status.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var score) ? score : null;
                files.Add(new GitChangedFile(kind, fields[i + 2], fields[i + 1], similarity));
                i += 3;
            }
            else
            {
                if (i + 1 >= fields.Length || fields[i + 1].Length == 0)
                {
                    throw new GitCommandException($"git diff --name-status ended inside the entry for status '{status}'.");
                }

                files.Add(new GitChangedFile(kind, fields[i + 1]));
                i += 2;
            }
        }

        return files;
    }

    /// <summary>The bytes of <paramref name="path"/> at <paramref name="commit"/>, or null when the file is not in that commit.</summary>
    public async Task<byte[]?> ShowFileAsync(string repositoryPath, string commit, string path, CancellationToken cancellationToken = default)
    {
        // --no-textconv: the stored bytes, not what a configured text filter would make of them.
        string[] arguments = ["show", "--no-textconv", $"{commit}:{path}"];
        var result = await RunAsync(repositoryPath, arguments, cancellationToken);
        if (result.ExitCode == 0)
        {
            return result.Output;
        }

        // Messages are English because commands run with LC_ALL=C.
        if (result.ExitCode == 128 && (result.Error.Contains("does not exist in", StringComparison.Ordinal) || result.Error.Contains("exists on disk, but not in", StringComparison.Ordinal)))
        {
            return null;
        }

        throw Failure(repositoryPath, arguments, result);
    }

    /// <summary>Subject, body, author and dates of one commit.</summary>
    public async Task<GitCommitInfo> GetCommitAsync(string repositoryPath, string commit, CancellationToken cancellationToken = default)
    {
        // NUL separators: subjects and bodies may contain any printable text; the body goes last as it spans lines.
        var result = await RunCheckedAsync(repositoryPath, ["log", "-1", "--no-show-signature", "--format=%H%x00%s%x00%an%x00%ae%x00%aI%x00%cI%x00%b", commit, "--"], cancellationToken);
        var fields = NulSeparated(result.Output, 7);
        if (fields.Length != 7)
        {
            throw new GitCommandException($"git log printed an unexpected format for {commit} in {repositoryPath}.");
        }

        return new GitCommitInfo(
            fields[0].Trim(), fields[1], fields[6].TrimEnd('\n'), fields[2], fields[3],
            DateTimeOffset.Parse(fields[4], CultureInfo.InvariantCulture), DateTimeOffset.Parse(fields[5], CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// At most <paramref name="count"/> NUL-separated fields (the last takes the rest), each decoded on its own so that
    /// invalid UTF-8 stays visible to the ingest's repair (<see cref="StorableText.DecodeScmUtf8"/>).
    /// </summary>
    private static string[] NulSeparated(byte[] output, int count)
    {
        var fields = new List<string>(count);
        var rest = output.AsSpan();
        while (fields.Count < count - 1 && rest.IndexOf((byte)0) is var end and >= 0)
        {
            fields.Add(StorableText.DecodeScmUtf8(rest[..end]));
            rest = rest[(end + 1)..];
        }

        fields.Add(StorableText.DecodeScmUtf8(rest));
        return [.. fields];
    }

    /// <summary>Writes (or replaces) the portal's note on <paramref name="commit"/> under <c>refs/notes/reviewportal</c>.</summary>
    public Task AddNoteAsync(string repositoryPath, string commit, string text, CancellationToken cancellationToken = default) =>
        RunCheckedAsync(repositoryPath,
            ["-c", $"user.name={NotesAuthorName}", "-c", $"user.email={NotesAuthorEmail}", "notes", $"--ref={NotesRef}", "add", "-f", "-m", text, commit],
            cancellationToken);

    /// <summary>The portal's note on <paramref name="commit"/>, or null when it has none.</summary>
    public async Task<string?> ReadNoteAsync(string repositoryPath, string commit, CancellationToken cancellationToken = default)
    {
        string[] arguments = ["notes", $"--ref={NotesRef}", "show", commit];
        var result = await RunAsync(repositoryPath, arguments, cancellationToken);
        if (result.ExitCode == 0)
        {
            return result.OutputText.TrimEnd('\n');
        }

        return result.Error.Contains("no note found", StringComparison.Ordinal) ? null : throw Failure(repositoryPath, arguments, result);
    }

    /// <summary>Runs git and throws <see cref="GitCommandException"/> (with stderr) unless it exits with 0.</summary>
    public async Task<GitResult> RunCheckedAsync(string repositoryPath, IReadOnlyList<string> arguments, CancellationToken cancellationToken = default, IReadOnlyDictionary<string, string>? environment = null)
    {
        var result = await RunAsync(repositoryPath, arguments, cancellationToken, environment);
        return result.ExitCode == 0 ? result : throw Failure(repositoryPath, arguments, result);
    }

    /// <summary>
    /// Runs <c>git -C repositoryPath -c core.quotepath=off arguments</c> and returns its exit code, stdout bytes and
    /// stderr. Throws <see cref="GitCommandException"/> only when git cannot run or exceeds the timeout.
    /// </summary>
    public async Task<GitResult> RunAsync(string repositoryPath, IReadOnlyList<string> arguments, CancellationToken cancellationToken = default, IReadOnlyDictionary<string, string>? environment = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(repositoryPath);
        ArgumentNullException.ThrowIfNull(arguments);
        var start = new ProcessStartInfo("git")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        start.ArgumentList.Add("-C");
        start.ArgumentList.Add(repositoryPath);
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("core.quotepath=off");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // English messages (parsed above), no credential prompts, and no index lock taken by read-only commands.
        start.Environment["LC_ALL"] = "C";
        start.Environment["LANGUAGE"] = "C";
        start.Environment["GIT_TERMINAL_PROMPT"] = "0";
        start.Environment["GIT_OPTIONAL_LOCKS"] = "0";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>(StringComparer.Ordinal))
        {
            start.Environment[key] = value;
        }

        var stopwatch = Stopwatch.StartNew();
        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            throw new GitCommandException("The git CLI could not be started; is git installed and on PATH?", ex);
        }

        process.StandardInput.Close();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        using var output = new MemoryStream();
        var readOutput = process.StandardOutput.BaseStream.CopyToAsync(output, timeout.Token);
        var readError = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await Task.WhenAll(readOutput, readError);
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException ex)
        {
            StopQuietly(process);
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            throw new GitCommandException($"git {Describe(arguments)} in {repositoryPath} did not finish within {_timeout.TotalSeconds:0} s and was stopped.", ex);
        }

        var error = await readError;
        logger.LogDebug("git {Arguments} in {Repository}: exit {ExitCode} after {Elapsed} ms.", Describe(arguments), repositoryPath, process.ExitCode, stopwatch.ElapsedMilliseconds);
        return new GitResult(process.ExitCode, output.ToArray(), error);
    }

    private static void StopQuietly(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited between the timeout and the kill.
        }
    }

    private static string BranchRef(string branch) => $"refs/heads/{branch}";

    private static string Describe(IReadOnlyList<string> arguments) =>
        string.Join(' ', arguments.Select(a => a.Length > 80 ? a[..80] + "…" : a));

    private static GitCommandException Failure(string repositoryPath, IReadOnlyList<string> arguments, GitResult result) =>
        new($"git {Describe(arguments)} in {repositoryPath} failed with exit code {result.ExitCode}: {result.Error.Trim()}", result.ExitCode, result.Error);
}
