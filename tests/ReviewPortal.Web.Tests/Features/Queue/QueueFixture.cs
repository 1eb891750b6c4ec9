using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Domain.Risk;
using ReviewPortal.Testing;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Features.Shared;
using ReviewPortal.Domain.People;

namespace ReviewPortal.Web.Tests.Features.Queue;

/// <summary>A change as a test wants it in the database; everything not named takes a plain default.</summary>
public sealed record NewChange(string Repository)
{
    public string Title { get; init; } = "Tidy the logging";
    public RiskTier Tier { get; init; } = RiskTier.Medium;
    public ChangeState State { get; init; } = ChangeState.Pending;
    public TimeSpan Age { get; init; } = TimeSpan.FromMinutes(30);
    public string Author { get; init; } = "orders-agent[bot]";
    public string? Prompter { get; init; } = "someone@acme.test";
    public string? ModelVersion { get; init; } = "gpt-5.1-codex";
    public string? AgentSessionId { get; init; } = "sess_1";
    public bool IsAgentAuthored { get; init; } = true;
    public string? Branch { get; init; }
    public string SubmittedBy { get; init; } = "api";
    public string ScmState { get; init; } = "open";

    /// <summary>Email of the assignee, or null.</summary>
    public string? AssignedTo { get; init; }

    public RiskTier? AutoAssignedTier { get; init; }
}

/// <summary>
/// The portal on its own database with a known set of people and no demo data; automatic assignment does not run
/// in the background, so tests run its passes themselves.
/// </summary>
public sealed class QueueFixture : IAsyncLifetime
{
    public const string Password = "Queue-Passw0rd!";
    public const string Riley = "riley@queue.test";
    public const string Sam = "sam@queue.test";
    public const string Dana = "dana@queue.test";
    public const string Sasha = "sasha@queue.test";
    public const string Kim = "kim@queue.test";
    public const string Morgan = "morgan@queue.test";

    public static readonly IReadOnlyList<(string Email, string Name, string Role)> People =
    [
        (Riley, "Riley Reviewer", PortalRoles.Reviewer),
        (Sam, "Sam Okafor", PortalRoles.Reviewer),
        (Dana, "Dana Whitfield", PortalRoles.Reviewer),
        (Sasha, "Sasha Ivanova", PortalRoles.SecurityReviewer),
        (Kim, "Kim Laurent", PortalRoles.SecurityReviewer),
        (Morgan, "Morgan Reyes", PortalRoles.Manager),
    ];

    private readonly Dictionary<string, string> _ids = new(StringComparer.Ordinal);

    public PortalFactory Factory { get; private set; } = default!;

    public IServiceProvider Services => Factory.Services;

    public async Task InitializeAsync()
    {
        Factory = await PortalFactory.CreateAsync("queue", settings: new Dictionary<string, string?>(StringComparer.Ordinal) { ["Review:Assignment:Enabled"] = "false" });
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        foreach (var (email, name, role) in People)
        {
            var user = new PortalUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = name };
            var created = await users.CreateAsync(user, Password);
            Assert.True(created.Succeeded, string.Join("; ", created.Errors.Select(e => e.Description)));
            Assert.True((await users.AddToRoleAsync(user, role)).Succeeded);
            _ids[email] = user.Id;
        }
    }

    public async Task DisposeAsync() => await Factory.DisposeAsync();

    public string IdOf(string email) => _ids[email];

    public static string NameOf(string email) => People.Single(p => p.Email == email).Name;

    /// <summary>Only the user id, as a cookie carries it: roles must come from the database.</summary>
    public ClaimsPrincipal PrincipalOf(string email) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, IdOf(email)), new Claim(ClaimTypes.Name, email)], "test"));

    public async Task<ChangeViewer> ViewerAsync(string email) =>
        await Services.GetRequiredService<ReviewerDirectory>().ViewerAsync(PrincipalOf(email)) ?? throw new InvalidOperationException(email);

    public async Task<HttpClient> SignedInClientAsync(string email)
    {
        var client = Factory.CreateClient();
        await FormSignIn.SignInAsync(client, email, Password);
        return client;
    }

    public async Task<Change> AddAsync(NewChange spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var change = new Change
        {
            Title = spec.Title,
            Repository = spec.Repository,
            Author = spec.Author,
            Prompter = spec.Prompter,
            ModelVersion = spec.ModelVersion,
            AgentSessionId = spec.AgentSessionId,
            IsAgentAuthored = spec.IsAgentAuthored,
            SourceBranch = spec.Branch,
            SubmittedBy = spec.SubmittedBy,
            SubmittedAt = DateTimeOffset.UtcNow - spec.Age,
            Tier = spec.Tier,
            RiskScore = (int)spec.Tier * 20 - 10,
            State = spec.State,
            ScmState = spec.ScmState,
            RuleSetVersion = "test",
            RevisionCount = 1,
            AutoAssignedTier = spec.AutoAssignedTier,
        };
        if (spec.AssignedTo is { } assignee)
        {
            change.AssignedToId = IdOf(assignee);
            change.AssignedToName = NameOf(assignee);
            change.AssignedAt = DateTimeOffset.UtcNow;
        }

        db.Changes.Add(change);
        await db.SaveChangesAsync();
        return change;
    }

    public async Task<Change> ReadAsync(long id)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Changes.AsNoTracking().Include(c => c.Events).SingleAsync(c => c.Id == id);
    }

    public async Task UpdateAsync(long id, Action<Change> update)
    {
        ArgumentNullException.ThrowIfNull(update);
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        update(await db.Changes.SingleAsync(c => c.Id == id));
        await db.SaveChangesAsync();
    }

    public static string NewRepository() => $"acme/q-{Guid.NewGuid():N}"[..20];
}
