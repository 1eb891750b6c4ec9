using System.Data;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using ReviewPortal.Web.Data;

namespace ReviewPortal.Web.Infrastructure.Notifications;

/// <summary>
/// Turns every save through EF Core's change tracker that touches what the queue and review pages show into NOTIFYs
/// on <see cref="ChangeNotifier.Channel"/>, so no write path has to remember to notify: a change added (Arrived); a
/// revision added or re-scored (Revised); assignment columns changed (Assigned); a decision added or reset, or the
/// change's state moved (Decided); a file's diff stored (DiffsReady); anything else on the change or its timeline
/// (Updated). One notification per change and activity per save.
/// <para>
/// The NOTIFY runs on the save's own connection, inside its transaction. A save in the caller's explicit transaction
/// is therefore announced only at commit, and not at all after a rollback. A save outside one runs in a transaction
/// this interceptor opens and commits after the NOTIFY, so the write and its notification commit together (ids of
/// added rows are known only after the save's INSERTs, which is why the NOTIFY follows them).
/// </para>
/// </summary>
public sealed class ChangeNotificationInterceptor(ILogger<ChangeNotificationInterceptor> logger) : SaveChangesInterceptor
{
    private static readonly HashSet<string> AssignmentProperties = new(StringComparer.Ordinal)
    {
        nameof(Change.AssignedToId), nameof(Change.AssignedToName), nameof(Change.AssignedAt), nameof(Change.AutoAssignedTier),
    };

    private static readonly HashSet<string> DecisionProperties = new(StringComparer.Ordinal)
    {
        nameof(Change.State), nameof(Change.DecidedAt), nameof(Change.DecidedBy),
    };

    private static readonly HashSet<string> RevisionProperties = new(StringComparer.Ordinal)
    {
        nameof(Change.RevisionCount), nameof(Change.HeadSha), nameof(Change.BaseSha), nameof(Change.RiskScore), nameof(Change.Tier),
        nameof(Change.RuleSetVersion), nameof(Change.Additions), nameof(Change.Deletions), nameof(Change.FileCount),
    };

    private readonly ConditionalWeakTable<DbContext, PendingSave> _pending = [];

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (eventData.Context is not { } context)
        {
            return result;
        }

        if (_pending.TryGetValue(context, out var stale))
        {
            // A save that neither completed nor reported its failure: never leave its transaction open.
            _pending.Remove(context);
            await EndAsync(context, stale);
        }

        if (Collect(context) is { } pending)
        {
            if (pending.OwnsTransaction)
            {
                pending.Transaction = await context.Database.BeginTransactionAsync(cancellationToken);
                DisableSavepoints(context, pending);
            }

            _pending.AddOrUpdate(context, pending);
        }

        return result;
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (eventData.Context is not { } context)
        {
            return result;
        }

        if (_pending.TryGetValue(context, out var stale))
        {
            _pending.Remove(context);
            End(context, stale);
        }

        if (Collect(context) is { } pending)
        {
            if (pending.OwnsTransaction)
            {
                pending.Transaction = context.Database.BeginTransaction();
                DisableSavepoints(context, pending);
            }

            _pending.AddOrUpdate(context, pending);
        }

        return result;
    }

    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (eventData.Context is not { } context || !_pending.TryGetValue(context, out var pending))
        {
            return result;
        }

        _pending.Remove(context);
        try
        {
            var notifications = await ResolveAsync(context, pending, cancellationToken);
            if (notifications.Count > 0)
            {
                await ChangeNotifier.NotifyAsync(context, notifications, cancellationToken);
            }

            if (pending.Transaction is { } transaction)
            {
                await transaction.CommitAsync(cancellationToken);
            }

            Log(notifications);
        }
        finally
        {
            await EndAsync(context, pending);
        }

        return result;
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (eventData.Context is not { } context || !_pending.TryGetValue(context, out var pending))
        {
            return result;
        }

        _pending.Remove(context);
        try
        {
            var notifications = Resolve(context, pending);
            if (notifications.Count > 0)
            {
                var connection = (NpgsqlConnection)context.Database.GetDbConnection();
                var opened = connection.State != ConnectionState.Open;
                if (opened)
                {
                    context.Database.OpenConnection();
                }

                try
                {
                    ChangeNotifier.Send(connection, notifications);
                }
                finally
                {
                    if (opened)
                    {
                        context.Database.CloseConnection();
                    }
                }
            }

            pending.Transaction?.Commit();
            Log(notifications);
        }
        finally
        {
            End(context, pending);
        }

        return result;
    }

    public override async Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (eventData.Context is { } context && _pending.TryGetValue(context, out var pending))
        {
            _pending.Remove(context);
            await EndAsync(context, pending);
        }
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (eventData.Context is { } context && _pending.TryGetValue(context, out var pending))
        {
            _pending.Remove(context);
            End(context, pending);
        }
    }

    public override async Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (eventData.Context is { } context && _pending.TryGetValue(context, out var pending))
        {
            _pending.Remove(context);
            await EndAsync(context, pending);
        }
    }

    public override void SaveChangesCanceled(DbContextEventData eventData)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (eventData.Context is { } context && _pending.TryGetValue(context, out var pending))
        {
            _pending.Remove(context);
            End(context, pending);
        }
    }

    /// <summary>What this save will have to announce, read from the tracker before the save accepts its changes.</summary>
    private static PendingSave? Collect(DbContext context)
    {
        if (context.ChangeTracker.AutoDetectChangesEnabled)
        {
            // EF detects changes only after this interceptor has run; the save itself then finds nothing new to detect.
            context.ChangeTracker.DetectChanges();
        }

        var pending = new PendingSave();
        foreach (var entry in context.ChangeTracker.Entries())
        {
            if (entry.State is EntityState.Unchanged or EntityState.Detached)
            {
                continue;
            }

            switch (entry.Entity)
            {
                case Change change:
                    CollectChange(pending, entry, change);
                    break;
                case ChangeRevision revision:
                    pending.Items.Add(new Item(ChangeActivity.Revised, () => revision.ChangeId));
                    break;
                case Decision decision:
                    pending.Items.Add(new Item(ChangeActivity.Decided, () => decision.ChangeId));
                    break;
                case ChangeEvent changeEvent:
                    pending.Items.Add(new Item(ChangeActivity.Updated, () => changeEvent.ChangeId));
                    break;
                case RiskContributionRecord contribution:
                    // Re-scoring replaces a revision's contributions even when its score stays the same.
                    pending.Revisions.Add(() => contribution.RevisionId);
                    break;
                case FileDiffRecord diff when diff.Status != FileDiffStatus.Pending
                                              && (entry.State == EntityState.Added || entry.Property(nameof(FileDiffRecord.Status)).IsModified):
                    pending.DiffFileIds.Add(() => diff.FileId);
                    break;
            }
        }

        if (pending.IsEmpty)
        {
            return null;
        }

        var database = context.Database;
        pending.OwnsTransaction = database.CurrentTransaction is null && database.AutoTransactionBehavior != AutoTransactionBehavior.Never;
        return pending;
    }

    private static void CollectChange(PendingSave pending, EntityEntry entry, Change change)
    {
        switch (entry.State)
        {
            case EntityState.Added:
                pending.Items.Add(new Item(ChangeActivity.Arrived, () => change.Id));
                pending.Arrivals.Add(change);
                return;
            case EntityState.Deleted:
                var id = change.Id;
                pending.Items.Add(new Item(ChangeActivity.Updated, () => id));
                return;
        }

        foreach (var property in entry.Properties.Where(p => p.IsModified && !p.Metadata.IsConcurrencyToken))
        {
            var name = property.Metadata.Name;
            var activity = AssignmentProperties.Contains(name) ? ChangeActivity.Assigned
                : DecisionProperties.Contains(name) ? ChangeActivity.Decided
                : RevisionProperties.Contains(name) ? ChangeActivity.Revised
                : ChangeActivity.Updated;
            pending.Items.Add(new Item(activity, () => change.Id));
        }
    }

    private static async Task<IReadOnlyCollection<ChangeNotification>> ResolveAsync(DbContext context, PendingSave pending, CancellationToken cancellationToken)
    {
        var lookups = new List<(long ChangeId, ChangeActivity Activity)>();
        var unknownRevisions = ResolveRevisionsFromTracker(context, pending, lookups);
        if (unknownRevisions.Count > 0 || pending.DiffFileIds.Count > 0)
        {
            var connection = (NpgsqlConnection)context.Database.GetDbConnection();
            var opened = connection.State != ConnectionState.Open;
            if (opened)
            {
                await context.Database.OpenConnectionAsync(cancellationToken);
            }

            try
            {
                await using var command = LookupCommand(context, connection, unknownRevisions, pending.DiffFileIds);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    lookups.Add((reader.GetInt64(0), reader.GetBoolean(1) ? ChangeActivity.DiffsReady : ChangeActivity.Revised));
                }
            }
            finally
            {
                if (opened)
                {
                    await context.Database.CloseConnectionAsync();
                }
            }
        }

        return Coalesce(pending, lookups);
    }

    private static IReadOnlyCollection<ChangeNotification> Resolve(DbContext context, PendingSave pending)
    {
        var lookups = new List<(long ChangeId, ChangeActivity Activity)>();
        var unknownRevisions = ResolveRevisionsFromTracker(context, pending, lookups);
        if (unknownRevisions.Count > 0 || pending.DiffFileIds.Count > 0)
        {
            var connection = (NpgsqlConnection)context.Database.GetDbConnection();
            var opened = connection.State != ConnectionState.Open;
            if (opened)
            {
                context.Database.OpenConnection();
            }

            try
            {
                using var command = LookupCommand(context, connection, unknownRevisions, pending.DiffFileIds);
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    lookups.Add((reader.GetInt64(0), reader.GetBoolean(1) ? ChangeActivity.DiffsReady : ChangeActivity.Revised));
                }
            }
            finally
            {
                if (opened)
                {
                    context.Database.CloseConnection();
                }
            }
        }

        return Coalesce(pending, lookups);
    }

    /// <summary>Changes of re-scored revisions that the tracker knows; returns the revision ids it does not.</summary>
    private static List<long> ResolveRevisionsFromTracker(DbContext context, PendingSave pending, List<(long ChangeId, ChangeActivity Activity)> resolved)
    {
        var unknown = new List<long>();
        if (pending.Revisions.Count == 0)
        {
            return unknown;
        }

        var tracked = new Dictionary<long, long>();
        foreach (var entry in context.ChangeTracker.Entries<ChangeRevision>())
        {
            tracked.TryAdd(entry.Entity.Id, entry.Entity.ChangeId);
        }

        foreach (var revisionId in pending.Revisions)
        {
            var id = revisionId();
            if (tracked.TryGetValue(id, out var changeId))
            {
                resolved.Add((changeId, ChangeActivity.Revised));
            }
            else
            {
                unknown.Add(id);
            }
        }

        return unknown;
    }

    /// <summary>One query (inside the save's transaction) from revision and file ids to their changes.</summary>
    private static NpgsqlCommand LookupCommand(DbContext context, NpgsqlConnection connection, List<long> revisionIds, List<Func<long>> fileIds)
    {
        var revisions = Table<ChangeRevision>(context);
        var files = Table<ChangeFile>(context);
        var command = new NpgsqlCommand($"""
            SELECT r."ChangeId", false FROM {revisions} r WHERE r."Id" = ANY(@revisions)
            UNION
            SELECT r."ChangeId", true FROM {files} f JOIN {revisions} r ON r."Id" = f."RevisionId" WHERE f."Id" = ANY(@files)
            """, connection);
        command.Parameters.AddWithValue("revisions", revisionIds.ToArray());
        command.Parameters.AddWithValue("files", fileIds.Select(id => id()).ToArray());
        return command;
    }

    private static string Table<TEntity>(DbContext context) =>
        "\"" + (context.Model.FindEntityType(typeof(TEntity))?.GetTableName() ?? throw new InvalidOperationException($"{typeof(TEntity).Name} is not mapped.")) + "\"";

    /// <summary>
    /// One notification per change and activity. A change that arrived in this save says only that (its first revision
    /// and events are part of arriving), and "Updated" is left out where a more telling activity covers the change.
    /// </summary>
    private static List<ChangeNotification> Coalesce(PendingSave pending, List<(long ChangeId, ChangeActivity Activity)> lookups)
    {
        var arrived = pending.Arrivals.Select(c => c.Id).ToHashSet();
        var all = pending.Items.Select(i => (ChangeId: i.ChangeId(), i.Activity)).Concat(lookups)
            .Where(n => n.ChangeId > 0 && (n.Activity == ChangeActivity.Arrived || !arrived.Contains(n.ChangeId)))
            .Distinct()
            .ToList();
        var specific = all.Where(n => n.Activity != ChangeActivity.Updated).Select(n => n.ChangeId).ToHashSet();
        return all.Where(n => n.Activity != ChangeActivity.Updated || !specific.Contains(n.ChangeId))
            .OrderBy(n => n.ChangeId).ThenBy(n => n.Activity)
            .Select(n => new ChangeNotification(n.ChangeId, n.Activity))
            .ToList();
    }

    private void Log(IReadOnlyCollection<ChangeNotification> notifications)
    {
        if (notifications.Count > 0 && logger.IsEnabled(LogLevel.Debug))
        {
            logger.LogDebug("Notified {Notifications}.", string.Join(", ", notifications.Select(ChangeNotifier.Format)));
        }
    }

    // A savepoint only helps a caller who goes on with its transaction after a failed save; this one is rolled back whole.
    private static void DisableSavepoints(DbContext context, PendingSave pending)
    {
        pending.AutoSavepoints = context.Database.AutoSavepointsEnabled;
        context.Database.AutoSavepointsEnabled = false;
    }

    private static async Task EndAsync(DbContext context, PendingSave pending)
    {
        if (pending.Transaction is { } transaction)
        {
            // Disposing an uncommitted transaction rolls it back (the save or the NOTIFY failed).
            await transaction.DisposeAsync();
            context.Database.AutoSavepointsEnabled = pending.AutoSavepoints;
        }
    }

    private static void End(DbContext context, PendingSave pending)
    {
        if (pending.Transaction is { } transaction)
        {
            transaction.Dispose();
            context.Database.AutoSavepointsEnabled = pending.AutoSavepoints;
        }
    }

    private sealed record Item(ChangeActivity Activity, Func<long> ChangeId);

    private sealed class PendingSave
    {
        public List<Item> Items { get; } = [];

        public List<Change> Arrivals { get; } = [];

        /// <summary>Revisions whose risk contributions changed; read after the save, when added rows have their ids.</summary>
        public List<Func<long>> Revisions { get; } = [];

        /// <summary>Files whose diff was stored; read after the save.</summary>
        public List<Func<long>> DiffFileIds { get; } = [];

        public bool IsEmpty => Items.Count == 0 && Revisions.Count == 0 && DiffFileIds.Count == 0;

        public bool OwnsTransaction { get; set; }

        public bool AutoSavepoints { get; set; }

        public IDbContextTransaction? Transaction { get; set; }
    }
}
