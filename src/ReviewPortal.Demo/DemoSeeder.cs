using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Domain.Policy;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Features.Admin;
using ReviewPortal.Web.Features.Decisions;
using ReviewPortal.Web.Features.Ingest;
using ReviewPortal.Web.Features.Ingest.LocalGit;
using ReviewPortal.Web.Features.Queue;
using ReviewPortal.Web.Infrastructure;
using ReviewPortal.Web.Infrastructure.LocalPostgres;
using ReviewPortal.Domain.People;

namespace ReviewPortal.Demo;

public sealed record DemoAccount(string Email, string DisplayName, string Role);

/// <summary>
/// The demo data, seeded after the portal's own start-up data (<see cref="PortalBootstrap"/>): the demo accounts, the
/// demo git repository (registered as a local git repository and ingested at once, so the queue is full on the first
/// page load), and, into an empty database, what the agents would have posted after pushing (prompts, test runs,
/// policy scores, rollback plans), reviewers' decisions held to the tier policy, a follow-up push that makes an
/// approval stale, and the automatic approval of the tier-1 change that qualifies.
/// </summary>
public sealed class DemoSeeder(
    IServiceScopeFactory scopes,
    DemoGitRepository demoRepository,
    RepositoryRegistry registry,
    LocalGitPoller poller,
    ProvenanceAttachService provenance,
    ApiClientRegistry apiClients,
    AutoAssigner assigner,
    AutomaticApprover automaticApprover,
    IOptionsMonitor<ReviewPolicyOptions> policy,
    IOptionsMonitor<AssignmentSettings> assignment,
    IOptions<DemoDataSettings> settings,
    IHostEnvironment environment,
    TimeProvider clock,
    ILogger<DemoSeeder> logger) : IStartupSeeder
{
    public const string DefaultDemoPassword = "Demo-Passw0rd!";

    /// <summary>The demo's administrator, also its break-glass account when the demo runs with single sign-on.</summary>
    public const string AdminAccount = "admin@demo.local";

    /// <summary>The API client the demo's agents attach their provenance bundles as.</summary>
    public const string DemoAgentClient = "demo-agents";

    public static IReadOnlyList<DemoAccount> DemoAccounts { get; } =
    [
        new("reviewer@demo.local", "Riley Reviewer", PortalRoles.Reviewer),
        new("reviewer2@demo.local", "Sam Okafor", PortalRoles.Reviewer),
        new("dana@demo.local", "Dana Whitfield", PortalRoles.Reviewer),
        new("security@demo.local", "Sasha Ivanova", PortalRoles.SecurityReviewer),
        new("security2@demo.local", "Kim Laurent", PortalRoles.SecurityReviewer),
        new("manager@demo.local", "Morgan Reyes", PortalRoles.Manager),
        new(AdminAccount, "Ada Admin", PortalRoles.Admin),
    ];

    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var password = settings.Value.Password is { Length: > 0 } configured ? configured : DefaultDemoPassword;
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
        // A branch that failed to ingest (the poller logs why) is tried again at once: the demo needs all of them.
        for (var retry = 0; retry < 2 && firstSeed && polled.Failed > 0; retry++)
        {
            logger.LogWarning("{Failed} demo branch(es) failed to ingest; polling the demo repository again.", polled.Failed);
            polled = await poller.PollRepositoryAsync(repository, cancellationToken);
        }

        logger.LogInformation("Demo repository {Repository} at {Path}: {Branches} branches, {Ingested} ingested. Commit to a branch there and the portal picks it up within LocalGit:PollSeconds.",
            repository.Name, path, polled.Branches, polled.Ingested);
        if (!firstSeed)
        {
            return;
        }

        var now = clock.GetUtcNow();
        var agent = await EnsureDemoAgentAsync(db, repository, cancellationToken);
        foreach (var branch in DemoChanges.Branches)
        {
            var change = await FindAsync(db, repository, branch, cancellationToken);
            if (branch.Prompt is { } prompt)
            {
                // What the agent posts to /api/changes/provenance after pushing: the prompt, its test run, its policy
                // score and rollback plan.
                var attached = await provenance.AttachAsync(new AttachProvenanceRequest(
                    repository.Name, change.ExternalNumber, null, Prompt: prompt,
                    Tests: new SubmittedTests(40 + (branch.Name.Length * 7 % 90), 0, branch.Name.Length % 3),
                    CoveragePercent: 80 + (branch.Name.Length % 15),
                    PolicyComplianceScore: branch.PolicyScore,
                    RollbackPlan: branch.Rollback is { } rollback ? new SubmittedRollbackPlan(rollback.Steps, rollback.BlastRadius) : null), agent, cancellationToken);
                if (attached.Outcome != AttachOutcome.Attached)
                {
                    throw new InvalidOperationException($"The demo agent could not attach provenance to change {change.Id}: {attached.Outcome}.");
                }
            }

            // The branches were pushed when they were committed, not when this database first read them: the wait
            // before automatic approval counts from then.
            await BackdateArrivalAsync(db, change.Id, 1, change.SubmittedAt, cancellationToken);
            var decisions = branch.Decisions ?? [];
            for (var i = 0; i < decisions.Count; i++)
            {
                await RecordDecisionAsync(db, users, change.Id, decisions[i], now - (branch.Commit.Age / 2) + TimeSpan.FromMinutes(i), cancellationToken);
            }
        }

        // Agents push again after a review: the approvals of their first commit stay on record but no longer count.
        var followUps = DemoChanges.Branches.Where(b => b.FollowUp is not null).ToList();
        var pushed = 0;
        foreach (var branch in followUps)
        {
            pushed += await demoRepository.PushFollowUpAsync(path, branch, cancellationToken) ? 1 : 0;
        }

        if (pushed > 0)
        {
            await poller.PollRepositoryAsync(repository, cancellationToken);
            foreach (var branch in followUps)
            {
                var change = await FindAsync(db, repository, branch, cancellationToken);
                await BackdateArrivalAsync(db, change.Id, change.RevisionCount, now - branch.FollowUp!.Age, cancellationToken);
            }
        }

        // What the automatic approval job would find on its first run, done now so the demo starts complete.
        var approvedAutomatically = await automaticApprover.ApproveEligibleAsync(cancellationToken);
        logger.LogInformation("Demo: {Pushed} follow-up commit(s) pushed after review, {Automatic} change(s) approved automatically.", pushed, approvedAutomatically);

        if (assignment.CurrentValue.Enabled)
        {
            // Assign at once rather than on the assigner's first tick, so the demo starts with its queues as they stay.
            var pass = await assigner.RunOnceAsync(cancellationToken);
            logger.LogInformation("Demo changes assigned automatically: {Assigned}.", pass.Assigned);
        }

        logger.LogInformation("Seeded {Count} demo changes from {Repository} and {Accounts} demo accounts.", DemoChanges.Branches.Count, repository.Name, DemoAccounts.Count);
    }

    private string DemoRepositoryPath() =>
        settings.Value.GitRepositoryPath is { Length: > 0 } configured
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

    /// <summary>
    /// The demo's agents post their bundles as one API client, granted the demo repository as an admin would grant
    /// it: changes from git have no submitting client, so only a granted one may attach to them.
    /// </summary>
    private async Task<ApiClient> EnsureDemoAgentAsync(PortalDbContext db, ScmRepository repository, CancellationToken cancellationToken)
    {
        var agent = await db.ApiClients.AsNoTracking().FirstOrDefaultAsync(c => c.Name == DemoAgentClient && c.RevokedAt == null, cancellationToken)
                    ?? (await apiClients.CreateAsync(DemoAgentClient, "demo seed", cancellationToken: cancellationToken)).Client;
        var granted = await apiClients.GrantAsync(agent.Id, repository.Id, "demo seed", cancellationToken);
        if (granted is not (GrantOutcome.Granted or GrantOutcome.AlreadyGranted))
        {
            throw new InvalidOperationException(granted.Describe(agent.Name, repository.Name));
        }

        return agent;
    }

    private async Task EnsureUserAsync(UserManager<PortalUser> users, DemoAccount account, string password)
    {
        var user = await users.FindByNameAsync(account.Email);
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

    private static async Task<Change> FindAsync(PortalDbContext db, ScmRepository repository, DemoBranch branch, CancellationToken cancellationToken) =>
        await db.Changes.AsNoTracking().SingleOrDefaultAsync(c => c.RepositoryId == repository.Id && c.SourceBranch == branch.Name, cancellationToken)
        ?? throw new InvalidOperationException($"The demo branch {branch.Name} was not ingested; see the log above.");

    private static async Task BackdateArrivalAsync(PortalDbContext db, long changeId, int revisionNumber, DateTimeOffset arrivedAt, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var revision = await db.Revisions.SingleAsync(r => r.ChangeId == changeId && r.Number == revisionNumber, cancellationToken);
        revision.CreatedAt = arrivedAt;
        var events = await db.ChangeEvents.Where(e => e.ChangeId == changeId && e.RevisionNumber == revisionNumber).OrderBy(e => e.Id).ToListAsync(cancellationToken);
        for (var i = 0; i < events.Count; i++)
        {
            // The push first, then what followed it (the bundle the agent posted, re-scoring), a minute apart.
            events[i].At = arrivedAt + TimeSpan.FromMinutes(i);
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>A demo decision, held to the tier policy like any other: a demo that breaks the policy is a bug, and fails loudly.</summary>
    private async Task RecordDecisionAsync(PortalDbContext db, UserManager<PortalUser> users, long changeId, DemoDecision decision, DateTimeOffset at, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var reviewer = await users.FindByNameAsync(decision.ReviewerEmail) ?? throw new InvalidOperationException($"No demo account {decision.ReviewerEmail}.");
        var roles = (await users.GetRolesAsync(reviewer)).ToHashSet(StringComparer.Ordinal);
        var change = await db.Changes.Include(c => c.Decisions).SingleAsync(c => c.Id == changeId, cancellationToken);
        var arrivedAt = await db.Revisions.Where(r => r.ChangeId == changeId && r.Number == change.RevisionCount).Select(r => r.CreatedAt).SingleAsync(cancellationToken);
        var subject = PolicySubjects.From(change, arrivedAt);
        var options = policy.CurrentValue;
        var check = ReviewPolicy.Check(options, subject, new Reviewer(reviewer.Id, reviewer.UserName ?? reviewer.Id, reviewer.Email, roles), decision.Kind, subject.Head, decision.Reason);
        if (!check.Allowed)
        {
            throw new InvalidOperationException($"The demo decision {decision.Kind} by {decision.ReviewerEmail} on change {changeId} breaks the policy: {check.Reason}");
        }

        var recorded = new Decision
        {
            ChangeId = changeId,
            Kind = decision.Kind,
            Reason = decision.Reason,
            ReviewerId = reviewer.Id,
            ReviewerName = reviewer.DisplayName,
            ReviewerEmail = reviewer.Email,
            ReviewerRoles = roles.Order(StringComparer.Ordinal).ToList(),
            DecidedAt = at,
            RevisionNumber = change.RevisionCount,
            CommitSha = change.HeadSha,
        };
        change.Record(recorded, ReviewPolicy.StateAfter(options, subject, PolicySubjects.ToRecorded(recorded)));
        db.Entry(change).Property(c => c.State).IsModified = true;
        await db.SaveChangesAsync(cancellationToken);
    }
}
