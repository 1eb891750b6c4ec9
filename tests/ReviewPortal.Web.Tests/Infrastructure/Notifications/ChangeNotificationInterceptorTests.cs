using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using ReviewPortal.Domain.Changes;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Domain.Risk;
using ReviewPortal.Testing;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Features.Ingest;
using ReviewPortal.Web.Infrastructure.Notifications;

namespace ReviewPortal.Web.Tests.Infrastructure.Notifications;

/// <summary>
/// The portal (no demo data) and a way to see exactly which NOTIFYs a write sent. The background jobs that write
/// changes on their own (diff worker, assignment, automatic approval) are off: each test's writes are the only ones.
/// </summary>
public sealed class NotificationsFixture : IAsyncLifetime
{
    public PortalFactory Factory { get; private set; } = default!;

    public string ConnectionString { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        ConnectionString = await TestPostgres.CreateDatabaseAsync("notifications");
        Factory = new PortalFactory(ConnectionString, settings: new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["Diffs:Worker:Enabled"] = "false",
            ["Review:Assignment:Enabled"] = "false",
            ["Review:Policy:AutomaticApproval:Enabled"] = "false",
        });
        await Factory.WaitUntilListeningAsync();
    }

    public async Task DisposeAsync() => await Factory.DisposeAsync();

    public async Task<Change> SubmitAsync(string title = "Tidy logging", string path = "src/Orders/Log.cs")
    {
        var submissions = Factory.Services.GetRequiredService<ChangeSubmissionService>();
        return await submissions.SubmitAsync(
            new SubmitChangeRequest(title, "acme/orders", "orders-agent[bot]", "someone@acme.test", "sess_x", "gpt-5.1", "Tidy the logging.",
                [new SubmittedFile(path, "log(a);\nlog(b);\n", "logger.Info(a);\nlogger.Info(b);\n")]),
            "test", CancellationToken.None);
    }

    public async Task<PortalDbContext> ContextAsync() =>
        await Factory.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();

    /// <summary>
    /// Every notification about <paramref name="changeIds"/> that <paramref name="listener"/> got up to now, as
    /// "{changeId}:{activity}" (the audience each carries is checked on its own). A fence (a further change, waited
    /// for) makes "up to now" exact: PostgreSQL delivers notifications in commit order.
    /// </summary>
    public async Task<List<string>> PayloadsAboutAsync(RawNotificationListener listener, params long[] changeIds) =>
        (await NotificationsAboutAsync(listener, changeIds)).Select(n => ChangeNotifier.Format(n with { Audience = null })).ToList();

    /// <summary>Every notification about <paramref name="changeIds"/> that <paramref name="listener"/> got up to now, audience included.</summary>
    public async Task<List<ChangeNotification>> NotificationsAboutAsync(RawNotificationListener listener, params long[] changeIds)
    {
        ArgumentNullException.ThrowIfNull(listener);
        var fence = await SubmitAsync("Fence");
        await listener.Payloads.WaitForAsync(p => ChangeNotifier.Parse(p) is { Activity: ChangeActivity.Arrived } n && n.ChangeId == fence.Id, Eventually.DefaultLimit);
        return listener.Payloads.Arrivals.Select(a => ChangeNotifier.Parse(a.Item))
            .OfType<ChangeNotification>()
            .Where(n => changeIds.Contains(n.ChangeId))
            .ToList();
    }
}

public sealed class ChangeNotificationInterceptorTests(NotificationsFixture fixture) : IClassFixture<NotificationsFixture>
{
    private static readonly TimeSpan Timeout = Eventually.DefaultLimit;

    [Fact]
    public async Task A_submitted_change_notifies_once_that_it_arrived_although_the_save_adds_its_revision_files_and_events()
    {
        await using var listener = await RawNotificationListener.StartAsync(fixture.ConnectionString);

        var change = await fixture.SubmitAsync();

        Assert.Equal([$"{change.Id}:Arrived"], await fixture.PayloadsAboutAsync(listener, change.Id));
    }

    [Fact]
    [Trait("Category", "DecisionIntegrity")]
    public async Task A_notification_carries_who_may_see_the_change_so_pages_decide_without_a_query()
    {
        await using var listener = await RawNotificationListener.StartAsync(fixture.ConnectionString);
        var change = await fixture.SubmitAsync();
        await using (var db = await fixture.ContextAsync())
        {
            var tracked = await db.Changes.SingleAsync(c => c.Id == change.Id);
            tracked.Tier = RiskTier.Critical;
            await db.SaveChangesAsync();
        }

        var heard = await fixture.NotificationsAboutAsync(listener, change.Id);

        Assert.Equal(
            [new ChangeNotification(change.Id, ChangeActivity.Arrived, new ChangeAudience(change.Tier, "test")), new ChangeNotification(change.Id, ChangeActivity.Revised, new ChangeAudience(RiskTier.Critical, "test"))],
            heard);
    }

    [Fact]
    public async Task A_new_revision_notifies_revised_once()
    {
        var change = await fixture.SubmitAsync();
        await using var listener = await RawNotificationListener.StartAsync(fixture.ConnectionString);

        await using (var db = await fixture.ContextAsync())
        {
            var tracked = await db.Changes.Include(c => c.Decisions).Include(c => c.Revisions).ThenInclude(r => r.RiskContributions).SingleAsync(c => c.Id == change.Id);
            var recorder = fixture.Factory.Services.GetRequiredService<RevisionRecorder>();
            recorder.Apply(tracked, recorder.Build(2, "b2", "b1", [new IncomingFile("src/Orders/Log.cs", "log(a);\n", "logger.Debug(a);\n")]));
            await db.SaveChangesAsync();
        }

        Assert.Equal([$"{change.Id}:Revised"], await fixture.PayloadsAboutAsync(listener, change.Id));
    }

    [Fact]
    public async Task Rescoring_with_a_new_bundle_notifies_revised_once_although_fields_contributions_and_events_change()
    {
        var change = await fixture.SubmitAsync(path: "src/Auth/TokenService.cs");
        await using var listener = await RawNotificationListener.StartAsync(fixture.ConnectionString);

        // What ProvenanceAttachService does: the bundle changes the change's fields and its latest revision's contributions.
        await using (var db = await fixture.ContextAsync())
        {
            var tracked = await db.Changes.Include(c => c.Decisions).SingleAsync(c => c.Id == change.Id);
            var latest = await db.Revisions.Include(r => r.Files).Include(r => r.RiskContributions).SingleAsync(r => r.ChangeId == change.Id);
            var recorder = fixture.Factory.Services.GetRequiredService<RevisionRecorder>();
            tracked.ApplySubmittedProvenance(new Domain.Provenance.ProvenanceBundle { CoveragePercent = 12 }, await recorder.ProvenanceUpdateAsync(db, tracked, "attached by a test", CancellationToken.None));
            recorder.Rescore(tracked, latest, "Coverage reported");
            await db.SaveChangesAsync();
        }

        Assert.Equal([$"{change.Id}:Revised"], await fixture.PayloadsAboutAsync(listener, change.Id));
    }

    [Fact]
    public async Task Claiming_and_releasing_notify_assigned()
    {
        var change = await fixture.SubmitAsync();
        await using var listener = await RawNotificationListener.StartAsync(fixture.ConnectionString);

        await using (var db = await fixture.ContextAsync())
        {
            var tracked = await db.Changes.SingleAsync(c => c.Id == change.Id);
            (tracked.AssignedToId, tracked.AssignedToName, tracked.AssignedAt) = ("user-1", "Riley Reviewer", DateTimeOffset.UtcNow);
            await db.SaveChangesAsync();
            (tracked.AssignedToId, tracked.AssignedToName, tracked.AssignedAt) = (null, null, null);
            await db.SaveChangesAsync();
        }

        Assert.Equal([$"{change.Id}:Assigned", $"{change.Id}:Assigned"], await fixture.PayloadsAboutAsync(listener, change.Id));
    }

    [Fact]
    public async Task A_decision_notifies_decided_once()
    {
        var change = await fixture.SubmitAsync();
        await using var listener = await RawNotificationListener.StartAsync(fixture.ConnectionString);

        await using (var db = await fixture.ContextAsync())
        {
            var tracked = await db.Changes.SingleAsync(c => c.Id == change.Id);
            tracked.Record(new Decision { ChangeId = change.Id, Kind = DecisionKind.Approve, ReviewerId = "user-1", ReviewerName = "Riley Reviewer", DecidedAt = DateTimeOffset.UtcNow, RevisionNumber = tracked.RevisionCount, CommitSha = tracked.HeadSha }, ChangeState.Approved);
            await db.SaveChangesAsync();
        }

        Assert.Equal([$"{change.Id}:Decided"], await fixture.PayloadsAboutAsync(listener, change.Id));
    }

    [Fact]
    public async Task Stored_diffs_notify_diffs_ready_once_per_save_however_many_files()
    {
        var change = await fixture.SubmitAsync();
        await using var listener = await RawNotificationListener.StartAsync(fixture.ConnectionString);

        await using (var db = await fixture.ContextAsync())
        {
            // As a diff worker would: the diffs alone, without their change or revision.
            var diffs = await db.FileDiffs.Where(d => db.ChangeFiles.Any(f => f.Id == d.FileId && db.Revisions.Any(r => r.Id == f.RevisionId && r.ChangeId == change.Id))).ToListAsync();
            Assert.NotEmpty(diffs);
            foreach (var diff in diffs)
            {
                diff.Status = FileDiffStatus.Ready;
                diff.ComputedAt = DateTimeOffset.UtcNow;
            }

            await db.SaveChangesAsync();
        }

        Assert.Equal([$"{change.Id}:DiffsReady"], await fixture.PayloadsAboutAsync(listener, change.Id));
    }

    [Fact]
    public async Task One_save_about_two_changes_notifies_each_once()
    {
        var first = await fixture.SubmitAsync();
        var second = await fixture.SubmitAsync();
        await using var listener = await RawNotificationListener.StartAsync(fixture.ConnectionString);

        await using (var db = await fixture.ContextAsync())
        {
            foreach (var tracked in await db.Changes.Where(c => c.Id == first.Id || c.Id == second.Id).ToListAsync())
            {
                tracked.Record(new Decision { ChangeId = tracked.Id, Kind = DecisionKind.Reject, Reason = "No.", ReviewerId = "user-1", ReviewerName = "Riley Reviewer", DecidedAt = DateTimeOffset.UtcNow, RevisionNumber = tracked.RevisionCount, CommitSha = tracked.HeadSha }, ChangeState.Rejected);
                tracked.ScmState = "closed";
                tracked.Events.Add(new ChangeEvent { At = DateTimeOffset.UtcNow, Kind = ChangeEventKind.BranchClosed, Detail = "Closed." });
            }

            await db.SaveChangesAsync();
        }

        Assert.Equal([$"{first.Id}:Decided", $"{second.Id}:Decided"], await fixture.PayloadsAboutAsync(listener, first.Id, second.Id));
    }

    [Fact]
    public async Task Anything_else_shown_about_a_change_notifies_updated()
    {
        var change = await fixture.SubmitAsync();
        await using var listener = await RawNotificationListener.StartAsync(fixture.ConnectionString);

        await using (var db = await fixture.ContextAsync())
        {
            var tracked = await db.Changes.SingleAsync(c => c.Id == change.Id);
            tracked.ScmState = "merged";
            await db.SaveChangesAsync();
        }

        Assert.Equal([$"{change.Id}:Updated"], await fixture.PayloadsAboutAsync(listener, change.Id));
    }

    [Fact]
    public async Task Inside_an_explicit_transaction_the_notification_waits_for_the_commit()
    {
        var change = await fixture.SubmitAsync();
        await using var listener = await RawNotificationListener.StartAsync(fixture.ConnectionString);

        await using var db = await fixture.ContextAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var tracked = await db.Changes.SingleAsync(c => c.Id == change.Id);
        tracked.Record(new Decision { ChangeId = change.Id, Kind = DecisionKind.Approve, ReviewerId = "user-1", ReviewerName = "Riley Reviewer", DecidedAt = DateTimeOffset.UtcNow, RevisionNumber = tracked.RevisionCount, CommitSha = tracked.HeadSha }, ChangeState.Approved);
        await db.SaveChangesAsync();

        Assert.Empty(await fixture.PayloadsAboutAsync(listener, change.Id));
        await transaction.CommitAsync();

        await listener.Payloads.WaitForAsync(p => ChangeNotifier.Parse(p) is { Activity: ChangeActivity.Decided } n && n.ChangeId == change.Id, Timeout);
    }

    [Fact]
    public async Task A_rolled_back_transaction_notifies_nobody()
    {
        await using var listener = await RawNotificationListener.StartAsync(fixture.ConnectionString);
        long rolledBack;
        await using (var db = await fixture.ContextAsync())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            var change = new Change { Title = "Never was", Repository = "acme/orders", Author = "a", SubmittedBy = "test", RuleSetVersion = "v", SubmittedAt = DateTimeOffset.UtcNow };
            db.Changes.Add(change);
            await db.SaveChangesAsync();
            rolledBack = change.Id;
            await transaction.RollbackAsync();
        }

        Assert.True(rolledBack > 0);
        Assert.Empty(await fixture.PayloadsAboutAsync(listener, rolledBack));
    }

    [Fact]
    public async Task A_save_that_loses_a_concurrency_race_notifies_nothing_and_leaves_no_transaction_open()
    {
        var change = await fixture.SubmitAsync();
        await using var listener = await RawNotificationListener.StartAsync(fixture.ConnectionString);
        await using var winner = await fixture.ContextAsync();
        await using var loser = await fixture.ContextAsync();
        var won = await winner.Changes.SingleAsync(c => c.Id == change.Id);
        var lost = await loser.Changes.SingleAsync(c => c.Id == change.Id);
        won.Record(new Decision { ChangeId = change.Id, Kind = DecisionKind.Approve, ReviewerId = "user-1", ReviewerName = "Riley Reviewer", DecidedAt = DateTimeOffset.UtcNow, RevisionNumber = won.RevisionCount, CommitSha = won.HeadSha }, ChangeState.Approved);
        lost.Record(new Decision { ChangeId = change.Id, Kind = DecisionKind.Reject, Reason = "No.", ReviewerId = "user-2", ReviewerName = "Sam Okafor", DecidedAt = DateTimeOffset.UtcNow, RevisionNumber = lost.RevisionCount, CommitSha = lost.HeadSha }, ChangeState.Rejected);

        await winner.SaveChangesAsync();
        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => loser.SaveChangesAsync());

        Assert.Null(loser.Database.CurrentTransaction);
        Assert.Equal([$"{change.Id}:Decided"], await fixture.PayloadsAboutAsync(listener, change.Id));
        await using var check = await fixture.ContextAsync();
        Assert.Single(await check.Decisions.Where(d => d.ChangeId == change.Id).ToListAsync());
    }

    [Fact]
    public async Task A_synchronous_save_notifies_too()
    {
        var change = await fixture.SubmitAsync();
        await using var listener = await RawNotificationListener.StartAsync(fixture.ConnectionString);

        await using (var db = await fixture.ContextAsync())
        {
            var tracked = db.Changes.Single(c => c.Id == change.Id);
            tracked.AssignedToId = "user-1";
#pragma warning disable MA0045 // The synchronous path is what this test is about.
            db.SaveChanges();
#pragma warning restore MA0045
        }

        Assert.Equal([$"{change.Id}:Assigned"], await fixture.PayloadsAboutAsync(listener, change.Id));
    }

    [Fact]
    public async Task A_raw_sql_write_in_a_transaction_notifies_through_the_notifier_at_commit()
    {
        var change = await fixture.SubmitAsync();
        await using var listener = await RawNotificationListener.StartAsync(fixture.ConnectionString);

        await using var db = await fixture.ContextAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();
        await db.Changes.Where(c => c.Id == change.Id && c.AssignedToId == null).ExecuteUpdateAsync(set => set.SetProperty(c => c.AssignedToId, "user-1"));
        await ChangeNotifier.NotifyAsync(db, [new ChangeNotification(change.Id, ChangeActivity.Assigned)]);
        Assert.Empty(await fixture.PayloadsAboutAsync(listener, change.Id));

        await transaction.CommitAsync();

        await listener.Payloads.WaitForAsync(p => p == $"{change.Id}:Assigned", Timeout);
    }

    [Fact]
    public async Task The_listener_ignores_foreign_payloads_on_the_channel_and_goes_on()
    {
        using var recorder = new ChangeFeedRecorder(fixture.Factory.Services.GetRequiredService<ChangeFeed>());
        await using (var connection = new NpgsqlConnection(fixture.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"NOTIFY {ChangeNotifier.Channel}, '{{\"not\": \"ours\"}}'; NOTIFY {ChangeNotifier.Channel}, '-1:Arrived'", connection);
            await command.ExecuteNonQueryAsync();
        }

        var change = await fixture.SubmitAsync();

        await recorder.WaitForAsync(change.Id, ChangeActivity.Arrived, Timeout);
        Assert.True(fixture.Factory.Services.GetRequiredService<ChangeListener>().IsListening);
        Assert.DoesNotContain(recorder.Log.Arrivals, a => a.Item.ChangeId < 0);
    }
}
