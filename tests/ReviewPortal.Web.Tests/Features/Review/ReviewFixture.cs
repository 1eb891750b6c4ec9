using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using ReviewPortal.Domain.Diff;
using ReviewPortal.Testing;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Features.Review;
using ReviewPortal.Web.Infrastructure.Notifications;

namespace ReviewPortal.Web.Tests.Features.Review;

/// <summary>
/// The portal with the demo accounts and its diff worker switched off, so each test runs the worker itself and
/// sees files while they are still pending.
/// </summary>
public sealed class ReviewFixture : IAsyncLifetime
{
    public PortalFactory Factory { get; private set; } = default!;

    public IServiceProvider Services => Factory.Services;

    public async Task InitializeAsync()
    {
        Factory = await PortalFactory.CreateAsync("review", seedDemo: true, new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["Diffs:Worker:Enabled"] = "false",
        });
        _ = Factory.Services;
    }

    public async Task DisposeAsync() => await Factory.DisposeAsync();

    /// <summary>A worker of its own, as a second portal instance would run one.</summary>
    public FileDiffWorker NewWorker(Func<string?, string?, FileDiff>? compute = null) =>
        new(Services.GetRequiredService<NpgsqlDataSource>(), Services.GetRequiredService<ChangeFeed>(), TimeProvider.System, NullLogger<FileDiffWorker>.Instance)
        {
            ComputeDiff = compute ?? FileDiff.Compute,
        };

    /// <summary>Runs a worker until nothing is pending.</summary>
    public async Task DrainAsync(FileDiffWorker? worker = null)
    {
        worker ??= NewWorker();
        while (await worker.ProcessBatchAsync(CancellationToken.None) > 0)
        {
        }
    }

    /// <summary>Submits a change through the real API; returns its id.</summary>
    public async Task<long> SubmitAsync(string title, IEnumerable<(string Path, string? Old, string? New)> files, string? prompt = "Change it.", string author = "review-agent[bot]")
    {
        using var client = Factory.CreateAgentClient();
        return await client.SubmitChangeAsync(new
        {
            title,
            repository = "acme/review-tests",
            author,
            prompter = "someone@acme.test",
            agentSessionId = "sess_review",
            modelVersion = "claude-sonnet-4.5",
            prompt,
            files = files.Select(f => new { path = f.Path, oldContent = f.Old, newContent = f.New }).ToList(),
        });
    }

    public async Task<List<(ChangeFile File, FileDiffRecord? Diff)>> FilesAsync(long changeId)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var files = await db.ChangeFiles.AsNoTracking().Include(f => f.Diff)
            .Where(f => db.Revisions.Any(r => r.Id == f.RevisionId && r.ChangeId == changeId))
            .OrderBy(f => f.Id).ToListAsync();
        return files.Select(f => (f, f.Diff)).ToList();
    }

}
