using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ReviewPortal.Domain.Changes;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Domain.Risk;
using ReviewPortal.Testing;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Features.Admin;
using ReviewPortal.Web.Features.Decisions;
using ReviewPortal.Web.Features.Ingest.LocalGit;

namespace ReviewPortal.Web.Tests.Features.Ingest.LocalGit;

/// <summary>The portal with its poller running, but on an hour's interval, so only the API trigger makes it poll during a test.</summary>
public sealed class LocalGitFixture : IAsyncLifetime
{
    public PortalFactory Factory { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        Factory = await PortalFactory.CreateAsync("localgit", seedDemo: true, new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["LocalGit:PollSeconds"] = "3600",
            // The bootstrap key triggers the polls, which its default scopes do not include.
            ["Ingest:ApiKeyScopes"] = "SubmitChanges, AttachProvenance, ReadChanges, TriggerPolls",
        });
        _ = Factory.Services;
    }

    public async Task DisposeAsync() => await Factory.DisposeAsync();

    public async Task<ScmRepository> RegisterAsync(string path, ScmProvider provider = ScmProvider.LocalGit) =>
        (await Factory.Services.GetRequiredService<RepositoryRegistry>().RegisterAsync(new RegisterRepositoryRequest(
            provider, $"local/{Guid.NewGuid():N}", null, null, null, path, AgentAccounts: ["*@agents.acme.test"]))).Repository;

    public async Task<HttpResponseMessage> TriggerAsync(string id, bool withKey = true)
    {
        using var client = Factory.CreateClient();
        if (withKey)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", PortalFactory.ApiKey);
        }

        return await client.PostAsync($"/api/repositories/{id}/poll", null);
    }

    /// <summary>Waits (bounded) until the background poller has produced what <paramref name="query"/> looks for.</summary>
    public Task<T> EventuallyAsync<T>(Func<PortalDbContext, Task<T?>> query)
        where T : class =>
        Eventually.FoundAsync(Factory.Services, query, "the local git poller to produce the expected result");

    public async Task<ClaimsPrincipal> PrincipalAsync(string email)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().FindByNameAsync(email) ?? throw new InvalidOperationException(email);
        return new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, user.Id)], "test"));
    }
}

public sealed class LocalGitPollerTests(LocalGitFixture fixture) : IClassFixture<LocalGitFixture>
{
    private static Task<List<Change>> ChangesOf(PortalDbContext db, ScmRepository repository) =>
        db.Changes.Include(c => c.Revisions).ThenInclude(r => r.Files).Where(c => c.RepositoryId == repository.Id).OrderBy(c => c.ExternalNumber).ToListAsync();

    [Fact]
    public async Task The_trigger_answers_202_and_each_branch_becomes_a_change_against_its_merge_base_with_its_files_and_tier()
    {
        using var repo = await TestGitRepository.CreateAsync();
        var baseSha = await repo.CommitAsync("base", ("docs/guide.md", "# Guide\n"), ("src/Orders/Order.cs", "class Order {}\n"), ("src/Old Name.cs", "class A {}\n"));
        await repo.CheckoutNewAsync("agent/auth-fix");
        var authHead = await repo.CommitAsync("Check the token audience\n\nAgent-Session: sess_auth\nModel: claude-x\nPrompter: dana@demo.local",
            ("src/Payments/Auth/TokenValidator.cs", "class TokenValidator {}\n"), ("src/Old Name.cs", null), ("src/New Name.cs", "class A {}\n"));
        await repo.CheckoutNewAsync("agent/docs", "main");
        await repo.CommitAsync("Explain refunds", ("docs/guide.md", "# Guide\n\nRefunds take five days.\n"));
        await repo.CheckoutAsync("main");
        await repo.CommitAsync("main moves on", ("src/Orders/Order.cs", "sealed class Order {}\n"));
        var repository = await fixture.RegisterAsync(repo.Path);

        var response = await fixture.TriggerAsync(repository.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(repository.Id, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("repositoryId").GetInt64());
        var changes = await fixture.EventuallyAsync(async db => await ChangesOf(db, repository) is { Count: 2 } found ? found : null);
        var auth = Assert.Single(changes, c => c.SourceBranch == "agent/auth-fix");
        Assert.Equal((ChangeOrigin.LocalGit, "Check the token audience", "main", authHead, baseSha), (auth.Origin, auth.Title, auth.TargetBranch, auth.HeadSha, auth.BaseSha));
        Assert.Equal(("sess_auth", "claude-x", "dana@demo.local", "agent@agents.acme.test"), (auth.AgentSessionId, auth.ModelVersion, auth.Prompter, auth.Author));
        Assert.Equal(RiskTier.High, auth.Tier);
        var files = Assert.Single(auth.Revisions).Files.OrderBy(f => f.Path, StringComparer.Ordinal).ToList();
        // main's later commit to Order.cs is not part of the branch's change: the diff is against the merge-base.
        Assert.Equal(["src/New Name.cs", "src/Payments/Auth/TokenValidator.cs"], files.Select(f => f.Path));
        Assert.Equal(("src/Old Name.cs", "class A {}\n", "class A {}\n"), (files[0].PreviousPath, files[0].OldContent, files[0].NewContent));
        Assert.Equal((null, "class TokenValidator {}\n"), (files[1].OldContent, files[1].NewContent));
        var docs = Assert.Single(changes, c => c.SourceBranch == "agent/docs");
        Assert.Equal((RiskTier.Low, "# Guide\n\nRefunds take five days.\n"), (docs.Tier, Assert.Single(Assert.Single(docs.Revisions).Files).NewContent));
        Assert.True(docs.IsUntraced);
        Assert.Equal([1, 2], changes.Select(c => c.ExternalNumber!.Value).Order());
    }

    [Fact]
    public async Task A_new_commit_on_the_branch_becomes_revision_2_rescored_and_a_tier_rise_resets_the_approval_while_the_number_stays()
    {
        using var repo = await TestGitRepository.CreateAsync();
        await repo.CommitAsync("base", ("README.md", "readme\n"), ("assets/logo.png", "old"));
        await repo.CheckoutNewAsync("agent/readme");
        await repo.CommitAsync("Tidy the README\n\nAgent-Session: sess_rev", ("README.md", "readme, tidied\n"));
        var repository = await fixture.RegisterAsync(repo.Path);
        await fixture.TriggerAsync(repository.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var first = await fixture.EventuallyAsync(db => db.Changes.FirstOrDefaultAsync(c => c.RepositoryId == repository.Id));
        Assert.Equal((RiskTier.Low, 1), (first.Tier, first.RevisionCount));
        var approval = await fixture.Factory.Services.GetRequiredService<DecisionService>().DecideAsync(first.Id, await fixture.PrincipalAsync(DemoLogin.Reviewer), await fixture.Factory.Services.HeadOfAsync(first.Id), DecisionKind.Approve, null);
        Assert.True(approval.Succeeded, approval.Message);

        var secondHead = await repo.CommitBytesAsync("Also add the refresh-token table", "agent@agents.acme.test",
            ("db/migrations/20261201_refresh_tokens.sql", "CREATE TABLE refresh_tokens (id bigint PRIMARY KEY);\n"u8.ToArray()),
            ("assets/logo.png", [0x89, 0x50, 0x00, 0x01]));
        await fixture.TriggerAsync(repository.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));

        var second = await fixture.EventuallyAsync(db => db.Changes.Include(c => c.Decisions).Include(c => c.Events)
            .Include(c => c.Revisions).ThenInclude(r => r.Files)
            .FirstOrDefaultAsync(c => c.Id == first.Id && c.RevisionCount == 2));
        // The migration (+30), its DDL as SQL (+20) and a file named like *Token* (+40).
        Assert.Equal((secondHead, RiskTier.Critical, ChangeState.Pending, first.ExternalNumber), (second.HeadSha, second.Tier, second.State, second.ExternalNumber));
        // A commit's subject says what that commit did; the change keeps the name it arrived with.
        Assert.Equal("Tidy the README", second.Title);
        Assert.NotNull(Assert.Single(second.Decisions).ResetAt);
        Assert.Contains(second.Events, e => e.Kind == ChangeEventKind.TierRaised && e.RevisionNumber == 2 && e.Detail.Contains("Tier rose from 1 to 4", StringComparison.Ordinal) && e.Detail.Contains("migrations", StringComparison.Ordinal));
        var logo = Assert.Single(second.Revisions.Single(r => r.Number == 2).Files, f => f.Path == "assets/logo.png");
        Assert.True(logo.IsBinary);
        Assert.Null(logo.NewContent);

        // Polling again without a new commit adds nothing.
        await fixture.Factory.Services.GetRequiredService<LocalGitPoller>().PollRepositoryAsync(repository, CancellationToken.None);
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        Assert.Equal(2, await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Revisions.CountAsync(r => r.ChangeId == first.Id));
    }

    [Fact]
    public async Task A_later_commit_without_trailers_keeps_the_title_the_session_and_the_authorship_of_the_change()
    {
        using var repo = await TestGitRepository.CreateAsync();
        await repo.CommitAsync("base", ("notes.md", "notes\n"));
        await repo.CheckoutNewAsync("agent/notes");
        await repo.CommitAsync("Summarise the notes\n\nAgent-Session: sess_notes\nPrompter: dana@demo.local", ("notes.md", "notes, summarised\n"));
        var repository = await fixture.RegisterAsync(repo.Path);
        await fixture.Factory.Services.GetRequiredService<LocalGitPoller>().PollRepositoryAsync(repository, CancellationToken.None);

        await repo.CommitAsync("Fix a typo", ("notes.md", "notes, summarized\n"));
        await fixture.Factory.Services.GetRequiredService<LocalGitPoller>().PollRepositoryAsync(repository, CancellationToken.None);

        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        var change = await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Changes.SingleAsync(c => c.RepositoryId == repository.Id);
        Assert.Equal(2, change.RevisionCount);
        Assert.Equal(("Summarise the notes", "sess_notes", "dana@demo.local"), (change.Title, change.AgentSessionId, change.Prompter));
        Assert.True(change.IsAgentAuthored);
        Assert.False(change.IsUntraced);
        Assert.Equal("provenance trailers in the description", change.AuthorshipReason);
    }

    [Fact]
    public async Task A_branch_merged_into_main_is_marked_merged_a_deleted_one_closed_and_a_new_branch_gets_the_next_number()
    {
        using var repo = await TestGitRepository.CreateAsync();
        await repo.CommitAsync("base", ("a.txt", "a\n"));
        await repo.CheckoutNewAsync("agent/merge-me");
        await repo.CommitAsync("To be merged", ("b.txt", "b\n"));
        await repo.CheckoutNewAsync("agent/abandon-me", "main");
        await repo.CommitAsync("To be abandoned", ("c.txt", "c\n"));
        await repo.CheckoutAsync("main");
        var repository = await fixture.RegisterAsync(repo.Path);
        var poller = fixture.Factory.Services.GetRequiredService<LocalGitPoller>();
        Assert.Equal(2, (await poller.PollRepositoryAsync(repository, CancellationToken.None)).Ingested);

        await repo.RunAsync("merge", "--quiet", "--ff-only", "agent/merge-me");
        await repo.RunAsync("branch", "--quiet", "-D", "agent/abandon-me");
        await repo.CheckoutNewAsync("agent/later");
        await repo.CommitAsync("Later work", ("d.txt", "d\n"));
        var result = await poller.PollRepositoryAsync(repository, CancellationToken.None);

        Assert.Equal((1, 1, 1, 0), (result.Ingested, result.Merged, result.Closed, result.Failed));
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        var changes = await ChangesOf(scope.ServiceProvider.GetRequiredService<PortalDbContext>(), repository);
        Assert.Equal(
            // Numbers follow branch names in the order git lists them, then new branches as they appear.
            [("agent/abandon-me", "closed", 1), ("agent/merge-me", "merged", 2), ("agent/later", "open", 3)],
            changes.Select(c => (c.SourceBranch!, c.ScmState, c.ExternalNumber!.Value)));
    }

    [Fact]
    public async Task Unknown_non_local_and_malformed_ids_get_404_problem_json_and_a_missing_key_gets_401()
    {
        var github = await fixture.RegisterAsync("", ScmProvider.GitHub);

        var unknown = await fixture.TriggerAsync("987654321");
        var notLocal = await fixture.TriggerAsync(github.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var malformed = await fixture.TriggerAsync("abc");
        var anonymous = await fixture.TriggerAsync(github.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), withKey: false);

        foreach (var response in new[] { unknown, notLocal, malformed })
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(404, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetInt32());
        }

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task Broken_repositories_are_skipped_and_the_poller_goes_on_with_the_others()
    {
        var missing = await fixture.RegisterAsync(Path.Combine(Path.GetTempPath(), "reviewportal-tests", $"missing-{Guid.NewGuid():N}"));
        var plainFolder = Path.Combine(Path.GetTempPath(), "reviewportal-tests", $"plain-{Guid.NewGuid():N}");
        Directory.CreateDirectory(plainFolder);
        try
        {
            var notARepository = await fixture.RegisterAsync(plainFolder);
            using var repo = await TestGitRepository.CreateAsync();
            await repo.CommitAsync("base", ("a.txt", "a\n"));
            await repo.CheckoutNewAsync("agent/after-the-broken-ones");
            await repo.CommitAsync("Still ingested", ("b.txt", "b\n"));
            var healthy = await fixture.RegisterAsync(repo.Path);
            var poller = fixture.Factory.Services.GetRequiredService<LocalGitPoller>();

            await Assert.ThrowsAsync<ReviewPortal.Web.Scm.LocalGit.GitCommandException>(() => poller.PollRepositoryAsync(missing, CancellationToken.None));
            await Assert.ThrowsAsync<ReviewPortal.Web.Scm.LocalGit.GitCommandException>(() => poller.PollRepositoryAsync(notARepository, CancellationToken.None));
            // Through the background loop: the broken ones first, then the healthy one still gets polled.
            Assert.Equal(HttpStatusCode.Accepted, (await fixture.TriggerAsync(missing.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))).StatusCode);
            Assert.Equal(HttpStatusCode.Accepted, (await fixture.TriggerAsync(notARepository.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))).StatusCode);
            Assert.Equal(HttpStatusCode.Accepted, (await fixture.TriggerAsync(healthy.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))).StatusCode);

            var change = await fixture.EventuallyAsync(db => db.Changes.FirstOrDefaultAsync(c => c.RepositoryId == healthy.Id));
            Assert.Equal("Still ingested", change.Title);
            // A full poll over every registered repository, broken ones included, completes too.
            await poller.PollAllAsync(CancellationToken.None);
        }
        finally
        {
            Directory.Delete(plainFolder, recursive: true);
        }
    }
}
