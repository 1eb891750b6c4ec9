using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using ReviewPortal.Domain.Policy;
using ReviewPortal.Testing;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Features.Decisions;
using ReviewPortal.Web.Features.Ingest;

namespace ReviewPortal.Web.Tests.Features.Decisions;

/// <summary>Changes of each tier, the people who decide on them, pushes, and contenders whose races happen in a chosen order.</summary>
internal sealed class DecisionTestKit(PortalFactory factory)
{
    private IServiceProvider Services => factory.Services;

    /// <summary>A tier-1 change whose agent reported passing checks (tests, coverage 91%, policy score 95, no security finding).</summary>
    public Task<Change> Tier1WithPassingChecksAsync(string title = "Document the retry header") =>
        SubmitAsync(title, [new SubmittedFile("docs/retries.md", "# Retries\n", "# Retries\n\nDeliveries carry X-Retry-Count.\n")],
            tests: new SubmittedTests(120, 0, 2), coverage: 91, policyScore: 95);

    /// <summary>A tier-2 change (it changes a SQL query); no checks reported.</summary>
    public Task<Change> Tier2Async(string prompter = "someone@acme.test") =>
        SubmitAsync("Load invoices with their customers", [new SubmittedFile("src/Invoices/Query.cs", "var q = \"SELECT id FROM invoices\";\n", "var q = \"SELECT i.id, c.name FROM invoices i JOIN customers c ON c.id = i.customer_id\";\n")], prompter: prompter);

    /// <summary>A tier-4 change (auth path, migration with DDL) with a rollback plan and its blast radius.</summary>
    public Task<Change> Tier4Async(bool withRollback = true) =>
        SubmitAsync("Rotate signing keys",
            [
                new SubmittedFile("src/Auth/TokenService.cs", "var key = Static;\n", "var key = keys.Current;\n"),
                new SubmittedFile("db/migrations/002_keys.sql", null, "CREATE TABLE signing_keys (kid text PRIMARY KEY);\n"),
            ],
            rollback: withRollback ? new SubmittedRollbackPlan("Revert and redeploy.", "All sessions sign in again.") : null);

    public async Task<Change> SubmitAsync(
        string title, IReadOnlyList<SubmittedFile> files, string prompter = "someone@acme.test", SubmittedTests? tests = null, double? coverage = null,
        double? policyScore = null, IReadOnlyList<SubmittedFinding>? findings = null, SubmittedRollbackPlan? rollback = null)
    {
        var submissions = Services.GetRequiredService<ChangeSubmissionService>();
        return await submissions.SubmitAsync(
            new SubmitChangeRequest(title, "acme/orders", "orders-agent[bot]", prompter, "sess_x", "gpt-5.1", "Do the thing.", files,
                Tests: tests, CoveragePercent: coverage, PolicyComplianceScore: policyScore, SecurityFindings: findings, RollbackPlan: rollback),
            "test", CancellationToken.None);
    }

    /// <summary>A principal as a cookie would carry it, with only the user id (and, if given, stale role claims): roles must come from the database.</summary>
    public async Task<ClaimsPrincipal> PrincipalAsync(string email, params string[] claimedRoles)
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = await users.FindByNameAsync(email) ?? throw new InvalidOperationException(email);
        var claims = new List<Claim> { new(ClaimTypes.NameIdentifier, user.Id), new(ClaimTypes.Name, email) };
        claims.AddRange(claimedRoles.Select(r => new Claim(ClaimTypes.Role, r)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, "test"));
    }

    public async Task<Change> ReadAsync(long id)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Changes.AsNoTracking()
            .Include(c => c.Decisions.OrderBy(d => d.DecidedAt)).Include(c => c.Events.OrderBy(e => e.At)).Include(c => c.Revisions)
            .AsSplitQuery().SingleAsync(c => c.Id == id);
    }

    public async Task<uint> RowVersionAsync(long id)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Changes.Where(c => c.Id == id).Select(c => c.RowVersion).SingleAsync();
    }

    /// <summary>
    /// A new push, exactly as ingestion applies one: a new scored revision through <see cref="RevisionRecorder"/>, saved
    /// under xmin; with <paramref name="gate"/>, as another instance whose save waits there.
    /// </summary>
    public async Task PushAsync(long id, string headSha, SaveGate? gate = null)
    {
        const string content = "var q = \"SELECT i.id, c.name, c.email FROM invoices i JOIN customers c ON c.id = i.customer_id\";\n";
        var recorder = Services.GetRequiredService<RevisionRecorder>();
        await using var scope = Services.CreateAsyncScope();
        await using var db = gate is null ? scope.ServiceProvider.GetRequiredService<PortalDbContext>() : GatedContext(gate);
        var change = await db.Changes.Include(c => c.Decisions)
            .Include(c => c.Revisions.OrderByDescending(r => r.Number).Take(1)).ThenInclude(r => r.RiskContributions)
            .AsSplitQuery().SingleAsync(c => c.Id == id);
        var revision = recorder.Build(change.RevisionCount + 1, headSha, null, [new IncomingFile("src/Invoices/Query.cs", "var q = \"SELECT id FROM invoices\";\n", content)], change.Prompt, change.Provenance);
        recorder.Apply(change, revision);
        await db.SaveChangesAsync();
    }

    /// <summary>Moves the head revision's arrival into the past, as if it had been waiting that long.</summary>
    public async Task AgeHeadAsync(long id, TimeSpan age)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var change = await db.Changes.AsNoTracking().SingleAsync(c => c.Id == id);
        var revision = await db.Revisions.SingleAsync(r => r.ChangeId == id && r.Number == change.RevisionCount);
        revision.CreatedAt = DateTimeOffset.UtcNow - age;
        await db.SaveChangesAsync();
    }

    /// <summary>The real <see cref="DecisionService"/>, as a second portal instance would run it, whose first save waits at <paramref name="gate"/>.</summary>
    public DecisionService GatedDecisions(SaveGate gate) =>
        new(new GatedScopeFactory(Services.GetRequiredService<IServiceScopeFactory>(), () => GatedContext(gate)),
            Services.GetRequiredService<IOptionsMonitor<ReviewPolicyOptions>>(), TimeProvider.System,
            NullLogger<DecisionService>.Instance);

    /// <summary>The real <see cref="AutomaticApprover"/> of a second portal instance, whose first save waits at <paramref name="gate"/>.</summary>
    public AutomaticApprover GatedApprover(SaveGate gate) =>
        new(new GatedContextFactory(() => GatedContext(gate)), Services.GetRequiredService<IOptionsMonitor<ReviewPolicyOptions>>(),
            TimeProvider.System, NullLogger<AutomaticApprover>.Instance);

    private PortalDbContext GatedContext(SaveGate gate) =>
        new(new DbContextOptionsBuilder<PortalDbContext>().UseNpgsql(Services.GetRequiredService<NpgsqlDataSource>()).AddInterceptors(gate).Options);

    private sealed class GatedContextFactory(Func<PortalDbContext> create) : IDbContextFactory<PortalDbContext>
    {
        public PortalDbContext CreateDbContext() => create();
    }

    /// <summary>Scopes of the real app in which the DbContext is the gated one; everything else (users, roles) is the app's own.</summary>
    private sealed class GatedScopeFactory(IServiceScopeFactory inner, Func<PortalDbContext> create) : IServiceScopeFactory
    {
        public IServiceScope CreateScope() => new Scope(inner.CreateScope(), create());

        private sealed class Scope(IServiceScope scope, PortalDbContext db) : IServiceScope, IServiceProvider, IAsyncDisposable
        {
            public IServiceProvider ServiceProvider => this;

            public object? GetService(Type serviceType) => serviceType == typeof(PortalDbContext) ? db : scope.ServiceProvider.GetService(serviceType);

            public void Dispose()
            {
                db.Dispose();
                scope.Dispose();
            }

            public async ValueTask DisposeAsync()
            {
                await db.DisposeAsync();
                if (scope is IAsyncDisposable asyncScope)
                {
                    await asyncScope.DisposeAsync();
                }
                else
                {
                    scope.Dispose();
                }
            }
        }
    }
}

/// <summary>
/// Makes a race happen in a chosen order, deterministically: the first save through a context carrying this gate waits
/// (after everything it read) until <see cref="Release"/>. The test lets the other contender commit meanwhile, so the
/// gated one writes against a row that changed since it read it, exactly as when two requests interleave.
/// </summary>
internal sealed class SaveGate : SaveChangesInterceptor
{
    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _armed = 1;

    /// <summary>Completes when the gated contender has read what it reads and is about to write.</summary>
    public async Task ReachedAsync(Task contender)
    {
        var first = await Task.WhenAny(_reached.Task, contender, Task.Delay(Eventually.DefaultLimit));
        if (first == contender)
        {
            await contender;
            throw new InvalidOperationException("The gated contender finished without saving.");
        }

        if (first != _reached.Task)
        {
            throw new TimeoutException($"The gated contender did not reach its save within {Eventually.DefaultLimit.TotalSeconds:0} s.");
        }
    }

    public void Release() => _released.TrySetResult();

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _armed, 0) == 1)
        {
            _reached.TrySetResult();
            await _released.Task.WaitAsync(cancellationToken);
        }

        return result;
    }
}
