using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ReviewPortal.Domain.Webhooks;
using ReviewPortal.Testing;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Features.Admin;
using ReviewPortal.Web.Features.Ingest;

namespace ReviewPortal.Web.Tests.Features.Ingest.Webhooks;

/// <summary>The portal (with its inbox worker running) on its own database, a fake GitHub/GitLab, and one registered repository of each.</summary>
public sealed class WebhookFixture : IAsyncLifetime
{
    public const string GitHubRepository = "acme/payments-api";
    public const string GitLabProject = "acme/billing";

    public PortalFactory Factory { get; private set; } = default!;

    public FakeScmServer Scm { get; private set; } = default!;

    public RegisteredRepository GitHub { get; private set; } = default!;

    public RegisteredRepository GitLab { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        Scm = await FakeScmServer.StartAsync();
        Factory = await PortalFactory.CreateAsync("webhooks", seedDemo: true);
        var registry = Factory.Services.GetRequiredService<RepositoryRegistry>();
        GitHub = await registry.RegisterAsync(new RegisterRepositoryRequest(ScmProvider.GitHub, GitHubRepository, null, Scm.GitHubApiBase, "ghp_fake_token", null, AgentAccounts: ["*[bot]"]));
        GitLab = await registry.RegisterAsync(new RegisterRepositoryRequest(ScmProvider.GitLab, GitLabProject, GitLabProject, Scm.GitLabApiBase, "glpat-fake-token", null, AgentAccounts: ["gitlab-agent-bot"]));
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        await Scm.DisposeAsync();
    }

    public static HttpRequestMessage SignedGitHub(RegisteredRepository repository, string deliveryId, byte[] body, string eventType = "pull_request", string? signature = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, repository.WebhookPath) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-GitHub-Event", eventType);
        request.Headers.Add("X-GitHub-Delivery", deliveryId);
        request.Headers.Add("X-Hub-Signature-256", signature ?? WebhookSignature.ComputeGitHub(Encoding.UTF8.GetBytes(repository.WebhookSecret), body));
        return request;
    }

    public static HttpRequestMessage GitLabHook(RegisteredRepository repository, string body, string? token, string? idempotencyKey, string? eventUuid)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, repository.WebhookPath) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Gitlab-Event", "Merge Request Hook");
        if (token is not null)
        {
            request.Headers.Add("X-Gitlab-Token", token);
        }

        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        if (eventUuid is not null)
        {
            request.Headers.Add("X-Gitlab-Event-UUID", eventUuid);
        }

        return request;
    }

    /// <summary>Waits (bounded) until the background worker has produced what <paramref name="query"/> looks for.</summary>
    public Task<T> EventuallyAsync<T>(Func<PortalDbContext, Task<T?>> query)
        where T : class =>
        Eventually.FoundAsync(Factory.Services, query, "the inbox worker to produce the expected result");

    public async Task<int> CountDeliveriesAsync(long repositoryId)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PortalDbContext>().WebhookDeliveries.CountAsync(d => d.RepositoryId == repositoryId);
    }

    /// <summary>Opens pull request <paramref name="number"/> of the GitHub repository by webhook and waits for its change.</summary>
    public async Task<Change> OpenPullRequestAsync(int number, string head, string? body, string author = "payments-agent[bot]", string path = "src/Orders/Orders.cs")
    {
        Scm.PutPullRequest(GitHubRepository, number, $"base{number:D7}", head, [new FakeFile(path, "a\n", "b\n")]);
        using var client = Factory.CreateClient();
        var response = await client.SendAsync(SignedGitHub(GitHub, $"delivery-prov-{number}",
            Encoding.UTF8.GetBytes(ScmPayloads.GitHubPullRequest("opened", GitHubRepository, number, $"base{number:D7}", head, body: body, author: author))));
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        return await EventuallyAsync(db => db.Changes.FirstOrDefaultAsync(c => c.RepositoryId == GitHub.Repository.Id && c.ExternalNumber == number));
    }

    /// <summary>Grants the client of the configured key (<see cref="PortalFactory.ApiKey"/>) the GitHub repository, as an admin would.</summary>
    public async Task GrantConfiguredClientAsync()
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        var configured = await scope.ServiceProvider.GetRequiredService<PortalDbContext>().ApiClients.SingleAsync(c => c.Name == IngestSettings.BootstrapClientName && c.RevokedAt == null);
        var outcome = await Factory.Services.GetRequiredService<ApiClientRegistry>().GrantAsync(configured.Id, GitHub.Repository.Id, "test admin");
        Assert.True(outcome is GrantOutcome.Granted or GrantOutcome.AlreadyGranted, outcome.ToString());
    }

    public async Task<ClaimsPrincipal> PrincipalAsync(string email)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().FindByEmailAsync(email) ?? throw new InvalidOperationException(email);
        return new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, user.Id)], "test"));
    }
}
