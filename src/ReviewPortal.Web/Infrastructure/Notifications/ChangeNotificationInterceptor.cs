using System.Data;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
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
/// The NOTIFY runs on the save's own connection. A save in the caller's explicit transaction sends it inside that
/// transaction, after its statements, so PostgreSQL delivers it only at commit and not at all after a rollback. A save
/// that EF Core wraps in a transaction of its own sends it just before that transaction commits (when the INSERTs have
/// given added rows their ids), so the write and its notification commit together or not at all; a save of a single
/// statement, which EF Core would run without a transaction, is given one for that. Only a context set to
/// <see cref="AutoTransactionBehavior.Never"/> sends it after the save.
/// </para>
/// </summary>
public sealed class ChangeNotificationInterceptor(ILogger<ChangeNotificationInterceptor> logger) : SaveChangesInterceptor, IDbTransactionInterceptor
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

    // Per context, the save in progress; weak, so a context disposed after a failed save leaves nothing behind.
    private readonly ConditionalWeakTable<DbContext, PendingSave> _pending = [];

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        Begin(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        Begin(eventData.Context);
        return ValueTask.FromResult(result);
    }

    /// <summary>EF Core's own transaction of a save is about to commit: send inside it.</summary>
    public InterceptionResult TransactionCommitting(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (Take(eventData.Context, ownTransactionOnly: true) is { } pending)
        {
            Send(eventData.Context!, pending);
        }

        return result;
    }

    public async ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (Take(eventData.Context, ownTransactionOnly: true) is { } pending)
        {
            await SendAsync(eventData.Context!, pending, cancellationToken);
        }

        return result;
    }

    /// <summary>The save ran in the caller's transaction (send inside it) or in none (send now).</summary>
    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (Take(eventData.Context, ownTransactionOnly: false) is { } pending)
        {
            Send(eventData.Context!, pending);
        }

        return result;
    }

    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (Take(eventData.Context, ownTransactionOnly: false) is { } pending)
        {
            await SendAsync(eventData.Context!, pending, cancellationToken);
        }

        return result;
    }

    private void Begin(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        // A save that failed left its entry behind; it sent nothing, and EF Core rolled its transaction back.
        _ = Take(context, ownTransactionOnly: false);
        if (Collect(context) is { } pending)
        {
            if (!pending.InCallersTransaction && context.Database.AutoTransactionBehavior == AutoTransactionBehavior.WhenNeeded)
            {
                // A single-statement save would run without a transaction, and its NOTIFY would follow the commit; with
                // one, the write and the NOTIFY commit together.
                context.Database.AutoTransactionBehavior = AutoTransactionBehavior.Always;
                pending.RestoreWhenNeeded = true;
            }

            _pending.Add(context, pending);
        }
    }

    private PendingSave? Take(DbContext? context, bool ownTransactionOnly)
    {
        if (context is null || !_pending.TryGetValue(context, out var pending) || (ownTransactionOnly && pending.InCallersTransaction))
        {
            return null;
        }

        _pending.Remove(context);
        if (pending.RestoreWhenNeeded)
        {
            context.Database.AutoTransactionBehavior = AutoTransactionBehavior.WhenNeeded;
        }

        return pending;
    }

    private async Task SendAsync(DbContext context, PendingSave pending, CancellationToken cancellationToken)
    {
        var notifications = await ResolveAsync(context, pending, cancellationToken);
        await ChangeNotifier.NotifyAsync(context, notifications, cancellationToken);
        Log(notifications);
    }

    private void Send(DbContext context, PendingSave pending)
    {
        var notifications = Resolve(context, pending);
        if (notifications.Count > 0)
        {
            WithOpenConnection(context, connection => ChangeNotifier.Send(connection, notifications));
        }

        Log(notifications);
    }

    private static void WithOpenConnection(DbContext context, Action<NpgsqlConnection> action)
    {
        var connection = (NpgsqlConnection)context.Database.GetDbConnection();
        var opened = connection.State != ConnectionState.Open;
        if (opened)
        {
            context.Database.OpenConnection();
        }

        try
        {
            action(connection);
        }
        finally
        {
            if (opened)
            {
                context.Database.CloseConnection();
            }
        }
    }

    /// <summary>
    /// What this save will have to announce, read from the tracker before the save accepts its changes. Ids are read
    /// later, through the entries: until the save has succeeded, EF Core keeps the ids that the database generated
    /// in the entries, not yet in the entities.
    /// </summary>
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
                case Change:
                    CollectChange(pending, entry);
                    break;
                case ChangeRevision:
                    pending.Items.Add(new Item(ChangeActivity.Revised, entry, nameof(ChangeRevision.ChangeId)));
                    break;
                case Decision:
                    pending.Items.Add(new Item(ChangeActivity.Decided, entry, nameof(Decision.ChangeId)));
                    break;
                case ChangeEvent:
                    pending.Items.Add(new Item(ChangeActivity.Updated, entry, nameof(ChangeEvent.ChangeId)));
                    break;
                case RiskContributionRecord:
                    // Re-scoring replaces a revision's contributions even when its score stays the same.
                    pending.RescoredRevisions.Add(entry);
                    break;
                case FileDiffRecord diff when diff.Status != FileDiffStatus.Pending
                                              && (entry.State == EntityState.Added || entry.Property(nameof(FileDiffRecord.Status)).IsModified):
                    pending.StoredDiffs.Add(entry);
                    break;
            }
        }

        if (pending.IsEmpty)
        {
            return null;
        }

        pending.InCallersTransaction = context.Database.CurrentTransaction is not null;
        return pending;
    }

    private static void CollectChange(PendingSave pending, EntityEntry entry)
    {
        if (entry.State == EntityState.Added)
        {
            pending.Items.Add(new Item(ChangeActivity.Arrived, entry, nameof(Change.Id)));
            return;
        }

        if (entry.State == EntityState.Deleted)
        {
            pending.Items.Add(new Item(ChangeActivity.Updated, entry, nameof(Change.Id)));
            return;
        }

        foreach (var property in entry.Properties.Where(p => p.IsModified && !p.Metadata.IsConcurrencyToken))
        {
            var name = property.Metadata.Name;
            var activity = AssignmentProperties.Contains(name) ? ChangeActivity.Assigned
                : DecisionProperties.Contains(name) ? ChangeActivity.Decided
                : RevisionProperties.Contains(name) ? ChangeActivity.Revised
                : ChangeActivity.Updated;
            pending.Items.Add(new Item(activity, entry, nameof(Change.Id)));
        }
    }

    private static async Task<IReadOnlyCollection<ChangeNotification>> ResolveAsync(DbContext context, PendingSave pending, CancellationToken cancellationToken)
    {
        var resolution = ResolveFromTracker(context, pending);
        if (resolution.HasLookups)
        {
            var connection = (NpgsqlConnection)context.Database.GetDbConnection();
            var opened = connection.State != ConnectionState.Open;
            if (opened)
            {
                await context.Database.OpenConnectionAsync(cancellationToken);
            }

            try
            {
                await using var command = LookupCommand(context, connection, resolution);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    resolution.Add(reader.GetInt64(0), reader.GetBoolean(1) ? ChangeActivity.DiffsReady : ChangeActivity.Revised);
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

        return resolution.Coalesce();
    }

    private static IReadOnlyCollection<ChangeNotification> Resolve(DbContext context, PendingSave pending)
    {
        var resolution = ResolveFromTracker(context, pending);
        if (resolution.HasLookups)
        {
            WithOpenConnection(context, connection =>
            {
                using var command = LookupCommand(context, connection, resolution);
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    resolution.Add(reader.GetInt64(0), reader.GetBoolean(1) ? ChangeActivity.DiffsReady : ChangeActivity.Revised);
                }
            });
        }

        return resolution.Coalesce();
    }

    /// <summary>Everything the tracker can answer; revisions and files it does not hold are left to one query.</summary>
    private static Resolution ResolveFromTracker(DbContext context, PendingSave pending)
    {
        var resolution = new Resolution();
        foreach (var entry in context.ChangeTracker.Entries<Change>())
        {
            resolution.Audiences.TryAdd(Id(entry, nameof(Change.Id)), new ChangeAudience(entry.Entity.Tier, entry.Entity.SubmittedBy));
        }

        foreach (var item in pending.Items)
        {
            resolution.Add(Id(item.Entry, item.ChangeIdProperty), item.Activity);
            if (item.Activity == ChangeActivity.Arrived)
            {
                resolution.Arrived.Add(Id(item.Entry, nameof(Change.Id)));
            }
        }

        if (pending.RescoredRevisions.Count == 0 && pending.StoredDiffs.Count == 0)
        {
            return resolution;
        }

        var changeOfRevision = new Dictionary<long, long>();
        foreach (var entry in context.ChangeTracker.Entries<ChangeRevision>())
        {
            changeOfRevision.TryAdd(Id(entry, nameof(ChangeRevision.Id)), Id(entry, nameof(ChangeRevision.ChangeId)));
        }

        var revisionOfFile = new Dictionary<long, long>();
        foreach (var entry in context.ChangeTracker.Entries<ChangeFile>())
        {
            revisionOfFile.TryAdd(Id(entry, nameof(ChangeFile.Id)), Id(entry, nameof(ChangeFile.RevisionId)));
        }

        foreach (var contribution in pending.RescoredRevisions)
        {
            var revisionId = Id(contribution, nameof(RiskContributionRecord.RevisionId));
            if (changeOfRevision.TryGetValue(revisionId, out var changeId))
            {
                resolution.Add(changeId, ChangeActivity.Revised);
            }
            else
            {
                resolution.UnknownRevisions.Add(revisionId);
            }
        }

        foreach (var diff in pending.StoredDiffs)
        {
            var fileId = Id(diff, nameof(FileDiffRecord.FileId));
            if (revisionOfFile.TryGetValue(fileId, out var revisionId) && changeOfRevision.TryGetValue(revisionId, out var changeId))
            {
                resolution.Add(changeId, ChangeActivity.DiffsReady);
            }
            else
            {
                resolution.UnknownFiles.Add(fileId);
            }
        }

        return resolution;
    }

    private static long Id(EntityEntry entry, string property) => entry.Property(property).CurrentValue is long id ? id : 0;

    /// <summary>One query (inside the save's transaction, so it sees the save's rows) from revision and file ids to their changes.</summary>
    private static NpgsqlCommand LookupCommand(DbContext context, NpgsqlConnection connection, Resolution resolution)
    {
        var revisions = Table<ChangeRevision>(context);
        var files = Table<ChangeFile>(context);
        var command = new NpgsqlCommand($"""
            SELECT r."ChangeId", false FROM {revisions} r WHERE r."Id" = ANY(@revisions)
            UNION
            SELECT r."ChangeId", true FROM {files} f JOIN {revisions} r ON r."Id" = f."RevisionId" WHERE f."Id" = ANY(@files)
            """, connection);
        command.Parameters.AddWithValue("revisions", resolution.UnknownRevisions.ToArray());
        command.Parameters.AddWithValue("files", resolution.UnknownFiles.ToArray());
        return command;
    }

    private static string Table<TEntity>(DbContext context) =>
        "\"" + (context.Model.FindEntityType(typeof(TEntity))?.GetTableName() ?? throw new InvalidOperationException($"{typeof(TEntity).Name} is not mapped.")) + "\"";

    private void Log(IReadOnlyCollection<ChangeNotification> notifications)
    {
        if (notifications.Count > 0 && logger.IsEnabled(LogLevel.Debug))
        {
            logger.LogDebug("Notified {Notifications}.", string.Join(", ", notifications.Select(ChangeNotifier.Format)));
        }
    }

    /// <summary>A change-id-bearing property of a tracked entry, and what a change of it means.</summary>
    private sealed record Item(ChangeActivity Activity, EntityEntry Entry, string ChangeIdProperty);

    private sealed class PendingSave
    {
        public List<Item> Items { get; } = [];

        /// <summary>Risk contributions added or removed: their revision's change was re-scored.</summary>
        public List<EntityEntry> RescoredRevisions { get; } = [];

        /// <summary>File diffs stored (ready or failed for good).</summary>
        public List<EntityEntry> StoredDiffs { get; } = [];

        public bool IsEmpty => Items.Count == 0 && RescoredRevisions.Count == 0 && StoredDiffs.Count == 0;

        /// <summary>The save ran inside a transaction the caller began: the NOTIFY joins it when the save is done.</summary>
        public bool InCallersTransaction { get; set; }

        /// <summary>This save was made to run in a transaction of EF Core's; the context goes back to "when needed" after it.</summary>
        public bool RestoreWhenNeeded { get; set; }
    }

    private sealed class Resolution
    {
        private readonly HashSet<(long ChangeId, ChangeActivity Activity)> _notifications = [];

        public HashSet<long> Arrived { get; } = [];

        /// <summary>Who may see each tracked change, as it is saved: the listeners' pages decide visibility from it.</summary>
        public Dictionary<long, ChangeAudience> Audiences { get; } = [];

        public List<long> UnknownRevisions { get; } = [];

        public List<long> UnknownFiles { get; } = [];

        public bool HasLookups => UnknownRevisions.Count > 0 || UnknownFiles.Count > 0;

        public void Add(long changeId, ChangeActivity activity)
        {
            // Not yet a real id (the row was not written): nothing to tell.
            if (changeId > 0)
            {
                _notifications.Add((changeId, activity));
            }
        }

        /// <summary>
        /// One notification per change and activity. A change that arrived in this save says only that (its first
        /// revision and events are part of arriving), and "Updated" is left out where a more telling activity covers it.
        /// </summary>
        public List<ChangeNotification> Coalesce()
        {
            var relevant = _notifications.Where(n => n.Activity == ChangeActivity.Arrived || !Arrived.Contains(n.ChangeId)).ToList();
            var specific = relevant.Where(n => n.Activity != ChangeActivity.Updated).Select(n => n.ChangeId).ToHashSet();
            return relevant.Where(n => n.Activity != ChangeActivity.Updated || !specific.Contains(n.ChangeId))
                .OrderBy(n => n.ChangeId).ThenBy(n => n.Activity)
                .Select(n => new ChangeNotification(n.ChangeId, n.Activity, Audiences.GetValueOrDefault(n.ChangeId)))
                .ToList();
        }
    }
}
