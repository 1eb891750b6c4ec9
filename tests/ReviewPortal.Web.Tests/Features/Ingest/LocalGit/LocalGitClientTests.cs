using System.Text;
using ReviewPortal.Web.Scm.LocalGit;

namespace ReviewPortal.Web.Tests.Features.Ingest.LocalGit;

public sealed class LocalGitClientTests
{
    [Fact]
    public async Task Name_status_reports_renames_deletions_additions_and_unusual_paths_that_show_reads_back_as_bytes()
    {
        using var repo = await TestGitRepository.CreateAsync();
        var renamedBody = string.Join('\n', Enumerable.Range(0, 40).Select(i => $"line {i} of the ledger")) + "\n";
        var baseSha = await repo.CommitAsync("base",
            ("src/Ledger.cs", renamedBody), ("docs/old notes.md", "obsolete\n"), ("README.md", "readme\n"));
        await repo.CheckoutNewAsync("agent/work");
        var headSha = await repo.CommitBytesAsync("work", "agent@agents.acme.test",
            ("src/Ledger.cs", null),
            ("src/Accounting/Ledger.cs", Encoding.UTF8.GetBytes(renamedBody + "one more line\n")),
            ("docs/old notes.md", null),
            ("docs/Zahlungsübersicht mit Leerzeichen.md", Encoding.UTF8.GetBytes("# Übersicht\n")),
            ("assets/logo.png", [0x89, 0x50, 0x4E, 0x47, 0x00, 0x00, 0x01]),
            ("README.md", Encoding.UTF8.GetBytes("readme\nmore\n")));

        var files = await repo.Git.DiffNameStatusAsync(repo.Path, baseSha, headSha);

        var renamed = Assert.Single(files, f => f.Kind == GitChangeKind.Renamed);
        Assert.Equal(("src/Accounting/Ledger.cs", "src/Ledger.cs"), (renamed.Path, renamed.PreviousPath));
        Assert.InRange(renamed.Similarity!.Value, 50, 99);
        Assert.Equal("docs/old notes.md", Assert.Single(files, f => f.Kind == GitChangeKind.Deleted).Path);
        Assert.Equal(["assets/logo.png", "docs/Zahlungsübersicht mit Leerzeichen.md"], files.Where(f => f.Kind == GitChangeKind.Added).Select(f => f.Path).Order(StringComparer.Ordinal));
        Assert.Equal("README.md", Assert.Single(files, f => f.Kind == GitChangeKind.Modified).Path);
        Assert.Equal(5, files.Count);

        Assert.Equal("# Übersicht\n", Encoding.UTF8.GetString((await repo.Git.ShowFileAsync(repo.Path, headSha, "docs/Zahlungsübersicht mit Leerzeichen.md"))!));
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x00, 0x00, 0x01 }, await repo.Git.ShowFileAsync(repo.Path, headSha, "assets/logo.png"));
        Assert.Null(await repo.Git.ShowFileAsync(repo.Path, headSha, "docs/old notes.md"));
        Assert.Null(await repo.Git.ShowFileAsync(repo.Path, baseSha, "src/Accounting/Ledger.cs"));
    }

    [Fact]
    public void Parsing_handles_copies_type_changes_and_rejects_unknown_or_truncated_output()
    {
        var output = Encoding.UTF8.GetBytes("C075\0a.cs\0b.cs\0T\0link\0R100\0x y.txt\0dir/x y.txt\0");

        var files = LocalGitClient.ParseNameStatus(output);

        Assert.Equal(
            [new GitChangedFile(GitChangeKind.Copied, "b.cs", "a.cs", 75), new GitChangedFile(GitChangeKind.TypeChanged, "link"), new GitChangedFile(GitChangeKind.Renamed, "dir/x y.txt", "x y.txt", 100)],
            files);
        Assert.Empty(LocalGitClient.ParseNameStatus([]));
        Assert.Throws<GitCommandException>(() => LocalGitClient.ParseNameStatus(Encoding.UTF8.GetBytes("X\0file\0")));
        Assert.Throws<GitCommandException>(() => LocalGitClient.ParseNameStatus(Encoding.UTF8.GetBytes("R090\0only-one-path\0")));
    }

    [Fact]
    public async Task Branches_merge_base_ancestry_and_the_head_commit_are_read()
    {
        using var repo = await TestGitRepository.CreateAsync();
        var baseSha = await repo.CommitAsync("base", ("a.txt", "a\n"));
        await repo.CheckoutNewAsync("agent/tokens");
        var head = await repo.CommitBytesAsync("Rotate tokens\n\nWhy it changed.\n\nAgent-Session: sess_1\nModel: m-1", "tokens-agent@agents.acme.test", ("b.txt", "b\n"u8.ToArray()));
        await repo.CheckoutAsync("main");
        var mainHead = await repo.CommitAsync("main moves on", ("c.txt", "c\n"));

        var branches = await repo.Git.ListBranchesAsync(repo.Path);
        var commit = await repo.Git.GetCommitAsync(repo.Path, head);

        Assert.Equal([new GitBranch("agent/tokens", head), new GitBranch("main", mainHead)], branches);
        Assert.Equal(baseSha, await repo.Git.MergeBaseAsync(repo.Path, "agent/tokens", "main"));
        Assert.True(await repo.Git.IsAncestorAsync(repo.Path, baseSha, "main"));
        Assert.False(await repo.Git.IsAncestorAsync(repo.Path, head, "main"));
        Assert.False(await repo.Git.IsAncestorAsync(repo.Path, new string('e', 40), "main"));
        Assert.Equal((head, "Rotate tokens", "tokens-agent@agents.acme.test"), (commit.Sha, commit.Subject, commit.AuthorEmail));
        Assert.Equal("Why it changed.\n\nAgent-Session: sess_1\nModel: m-1", commit.Body);
        Assert.True(commit.CommittedAt > DateTimeOffset.UnixEpoch);
    }

    [Fact]
    public async Task Notes_are_written_on_a_commit_replaced_on_rewrite_and_read_back()
    {
        using var repo = await TestGitRepository.CreateAsync();
        var sha = await repo.CommitAsync("base", ("a.txt", "a\n"));

        Assert.Null(await repo.Git.ReadNoteAsync(repo.Path, sha));
        await repo.Git.AddNoteAsync(repo.Path, sha, "ReviewPortal: approved by Riley Reviewer");
        await repo.Git.AddNoteAsync(repo.Path, sha, "ReviewPortal: rejected by Sam Okafor\n\nReason: \"quotes\"; $(not a shell)");

        Assert.Equal("ReviewPortal: rejected by Sam Okafor\n\nReason: \"quotes\"; $(not a shell)", await repo.Git.ReadNoteAsync(repo.Path, sha));
        // Stored under the portal's own notes ref, where plain git can read it too.
        var plain = await repo.RunAsync("notes", "--ref=reviewportal", "list", sha);
        Assert.False(string.IsNullOrWhiteSpace(plain.OutputText));
    }

    [Fact]
    public async Task A_failing_command_throws_with_git_stderr_and_a_folder_that_is_no_repository_fails_clearly()
    {
        using var repo = await TestGitRepository.CreateAsync();
        await repo.CommitAsync("base", ("a.txt", "a\n"));
        var notARepository = Path.Combine(Path.GetTempPath(), "reviewportal-tests", $"plain-{Guid.NewGuid():N}");
        Directory.CreateDirectory(notARepository);
        try
        {
            var bad = await Assert.ThrowsAsync<GitCommandException>(() => repo.Git.DiffNameStatusAsync(repo.Path, "no-such-rev", "main"));
            var plain = await Assert.ThrowsAsync<GitCommandException>(() => repo.Git.ListBranchesAsync(notARepository));

            Assert.Equal(128, bad.ExitCode);
            Assert.Contains("no-such-rev", bad.Message, StringComparison.Ordinal);
            Assert.Contains("not a git repository", plain.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(notARepository, recursive: true);
        }
    }

    [Fact]
    public async Task A_command_that_outlives_its_timeout_is_stopped_with_a_clear_error()
    {
        using var repo = await TestGitRepository.CreateAsync();
        var slow = new LocalGitClient(Microsoft.Extensions.Logging.Abstractions.NullLogger<LocalGitClient>.Instance, TimeSpan.FromMilliseconds(300));

        // An alias that runs a shell command is git's own way to run something slow; the client still passes arguments, not a shell string.
        var error = await Assert.ThrowsAsync<GitCommandException>(() => slow.RunAsync(repo.Path, ["-c", "alias.wait=!sleep 5", "wait"]));

        Assert.Contains("did not finish within", error.Message, StringComparison.Ordinal);
    }
}
