using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Features.Admin;
using ReviewPortal.Web.Features.Ingest;
using ReviewPortal.Web.Features.Ingest.LocalGit;
using ReviewPortal.Web.Features.Queue;
using ReviewPortal.Web.Infrastructure.LocalPostgres;

namespace ReviewPortal.Web.Infrastructure.Demo;

public sealed record DemoAccount(string Email, string DisplayName, string Role);

/// <summary>
/// Start-up data: roles, the active risk rules and the configured bootstrap API key always; with <c>Demo:Seed</c>,
/// also the demo accounts, the demo git repository (registered as a local git repository and ingested at once, so
/// the queue is full on the first page load), and, into an empty database, what the agents would have posted after
/// pushing (prompts, test runs) and two decisions.
/// </summary>
public sealed class PortalSeeder(
    IServiceScopeFactory scopes,
    DemoGitRepository demoRepository,
    RepositoryRegistry registry,
    LocalGitPoller poller,
    ProvenanceAttachService provenance,
    ApiClientRegistry apiClients,
    RiskRuleAdministration riskRules,
    AutoAssigner assigner,
    IConfiguration configuration,
    IHostEnvironment environment,
    TimeProvider clock,
    ILogger<PortalSeeder> logger)
{
    public const string DefaultDemoPassword = "Demo-Passw0rd!";

    public static IReadOnlyList<DemoAccount> DemoAccounts { get; } =
    [
        new("reviewer@demo.local", "Riley Reviewer", PortalRoles.Reviewer),
        new("reviewer2@demo.local", "Sam Okafor", PortalRoles.Reviewer),
        new("dana@demo.local", "Dana Whitfield", PortalRoles.Reviewer),
        new("security@demo.local", "Sasha Ivanova", PortalRoles.SecurityReviewer),
        new("security2@demo.local", "Kim Laurent", PortalRoles.SecurityReviewer),
        new("manager@demo.local", "Morgan Reyes", PortalRoles.Manager),
        new("admin@demo.local", "Ada Admin", PortalRoles.Admin),
    ];

    public async Task SeedAsync(CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in PortalRoles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                await roles.CreateAsync(new IdentityRole(role));
            }
        }

        await riskRules.EnsureActiveAsync(cancellationToken);
        if (configuration["Ingest:ApiKey"] is { Length: > 0 } configuredKey)
        {
            // A bootstrap credential from configuration, stored hashed like any other client's key.
            await apiClients.EnsureAsync("configured (Ingest:ApiKey)", configuredKey, cancellationToken);
        }

        if (!configuration.GetValue<bool>("Demo:Seed"))
        {
            return;
        }

        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var password = configuration["Demo:Password"] is { Length: > 0 } configured ? configured : DefaultDemoPassword;
        foreach (var account in DemoAccounts)
        {
            await EnsureUserAsync(users, account, password);
        }

        logger.LogInformation("Demo accounts ({Password}): {Accounts}", password == DefaultDemoPassword ? "password " + DefaultDemoPassword : "password from Demo:Password",
            string.Join(", ", DemoAccounts.Select(a => $"{a.Email} ({a.Role})")));

        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var firstSeed = !await db.Changes.AnyAsync(cancellationToken);
        var path = await demoRepository.EnsureAsync(DemoRepositoryPath(), cancellationToken);
        var repository = await EnsureRegisteredAsync(db, path, cancellationToken);
        var polled = await poller.PollRepositoryAsync(repository, cancellationToken);
        logger.LogInformation("Demo repository {Repository} at {Path}: {Branches} branches, {Ingested} ingested. Commit to a branch there and the portal picks it up within LocalGit:PollSeconds.",
            repository.Name, path, polled.Branches, polled.Ingested);
        if (!firstSeed)
        {
            return;
        }

        var now = clock.GetUtcNow();
        foreach (var branch in DemoChanges.Branches)
        {
            var change = await db.Changes.AsNoTracking().SingleOrDefaultAsync(c => c.RepositoryId == repository.Id && c.SourceBranch == branch.Name, cancellationToken)
                         ?? throw new InvalidOperationException($"The demo branch {branch.Name} was not ingested; see the log above.");
            if (branch.Prompt is { } prompt)
            {
                // What the agent posts to /api/changes/provenance after pushing: the prompt and its test run.
                await provenance.AttachAsync(new AttachProvenanceRequest(
                    repository.Name, change.ExternalNumber, null, Prompt: prompt,
                    Tests: new SubmittedTests(40 + (branch.Name.Length * 7 % 90), 0, branch.Name.Length % 3),
                    CoveragePercent: 80 + (branch.Name.Length % 15)), cancellationToken);
            }

            if (branch.Decision is { } decision)
            {
                await RecordDecisionAsync(db, users, change.Id, decision, now - branch.Commit.Age / 2, cancellationToken);
            }
        }

        if (configuration.GetValue("Review:Assignment:Enabled", defaultValue: true))
        {
            // Assign at once rather than on the assigner's first tick, so the demo starts with its queues as they stay.
            var pass = await assigner.RunOnceAsync(cancellationToken);
            logger.LogInformation("Demo changes assigned automatically: {Assigned}.", pass.Assigned);
        }

        logger.LogInformation("Seeded {Count} demo changes from {Repository} and {Accounts} demo accounts.", DemoChanges.Branches.Count, repository.Name, DemoAccounts.Count);
    }

    private string DemoRepositoryPath() =>
        configuration["Demo:GitRepositoryPath"] is { Length: > 0 } configured
            ? configured
            : Path.Combine(LocalPostgresExtensions.FindRepositoryRoot(environment.ContentRootPath), ".local", "demo-repo");

    private async Task<ScmRepository> EnsureRegisteredAsync(PortalDbContext db, string path, CancellationToken cancellationToken)
    {
        var existing = await db.Repositories.FirstOrDefaultAsync(r => r.Provider == ScmProvider.LocalGit && r.Name == DemoChanges.RepositoryName, cancellationToken);
        if (existing is null)
        {
            return (await registry.RegisterAsync(new RegisterRepositoryRequest(
                ScmProvider.LocalGit, DemoChanges.RepositoryName, null, null, null, path, DemoChanges.DefaultBranch, DemoChanges.AgentAccounts), cancellationToken)).Repository;
        }

        // The folder may have moved (Demo:GitRepositoryPath changed): follow it.
        existing.LocalPath = path;
        existing.IsActive = true;
        await db.SaveChangesAsync(cancellationToken);
        return existing;
    }

    private async Task EnsureUserAsync(UserManager<PortalUser> users, DemoAccount account, string password)
    {
        var user = await users.FindByEmailAsync(account.Email);
        if (user is null)
        {
            user = new PortalUser { UserName = account.Email, Email = account.Email, EmailConfirmed = true, DisplayName = account.DisplayName };
            var created = await users.CreateAsync(user, password);
            if (!created.Succeeded)
            {
                throw new InvalidOperationException($"Could not create demo account {account.Email}: {string.Join("; ", created.Errors.Select(e => e.Description))}");
            }
        }

        if (!await users.IsInRoleAsync(user, account.Role))
        {
            await users.AddToRoleAsync(user, account.Role);
        }
    }

    private static async Task RecordDecisionAsync(PortalDbContext db, UserManager<PortalUser> users, long changeId, DemoDecision decision, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var reviewer = await users.FindByEmailAsync(decision.ReviewerEmail) ?? throw new InvalidOperationException($"No demo account {decision.ReviewerEmail}.");
        var change = await db.Changes.SingleAsync(c => c.Id == changeId, cancellationToken);
        change.Record(new Decision
        {
            ChangeId = changeId,
            Kind = decision.Kind,
            Reason = decision.Reason,
            ReviewerId = reviewer.Id,
            ReviewerName = reviewer.DisplayName,
            ReviewerEmail = reviewer.Email,
            DecidedAt = at,
        });
        await db.SaveChangesAsync(cancellationToken);
    }
}

public static class DemoDataExtensions
{
    public static IServiceCollection AddPortalDemoData(this IServiceCollection services) =>
        services.AddSingleton<DemoGitRepository>().AddSingleton<PortalSeeder>();

    public static async Task SeedPortalDataAsync(this WebApplication app) =>
        await app.Services.GetRequiredService<PortalSeeder>().SeedAsync();
}
