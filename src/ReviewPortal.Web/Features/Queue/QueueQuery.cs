using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Domain.Queue;
using ReviewPortal.Domain.Risk;
using ReviewPortal.Web.Data;

namespace ReviewPortal.Web.Features.Queue;

public sealed record QueueResult(IReadOnlyList<QueueRow> Rows, int Total);

/// <summary>The values the filter lists offer: the repositories and model versions of the changes the viewer may see.</summary>
public sealed record QueueFacets(IReadOnlyList<string> Repositories, IReadOnlyList<string> ModelVersions);

/// <summary>
/// One page of a queue view, filtered, sorted and paged in PostgreSQL, holding back the tier-4 changes the viewer
/// may not see before anything is counted.
/// </summary>
public sealed class QueueQuery(IDbContextFactory<PortalDbContext> dbFactory, IOptionsMonitor<SlaSettings> slaSettings, TimeProvider clock) : IQueueRows
{
    /// <summary>A change waits for a reviewer: pending, and its pull/merge request is still open.</summary>
    public const string OpenScmState = "open";

    // A row says whether its change is untraced by the change's own rule, evaluated in PostgreSQL.
    private static readonly Expression<Func<Change, QueueRow>> ToRow = QueryExpressions.Inline(
        (Change c, bool untraced) => new QueueRow(c.Id, c.Title, c.Repository, c.Tier, c.RiskScore, c.ModelVersion, c.AgentSessionId, c.State, c.DecidedBy,
            c.SubmittedAt, c.Additions, c.Deletions, c.IsAgentAuthored, untraced, c.Author, c.Prompter, c.SourceBranch, c.AssignedToId, c.AssignedToName),
        Change.Untraced);

    public ReviewSla Sla => slaSettings.CurrentValue.ToSla();

    /// <summary>The changes waiting for a reviewer: pending, with their pull/merge request still open.</summary>
    internal static IQueryable<Change> OpenForReview(IQueryable<Change> changes) =>
        changes.Where(c => c.State == ChangeState.Pending && c.ScmState == OpenScmState);

    public async Task<QueueResult> LoadAsync(QueueFilter filter, QueueViewer viewer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(viewer);
        var skip = (filter.Page - 1) * filter.PageSize;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var sla = Sla;
        var query = Filter(db.Changes.AsNoTracking(), filter, viewer, sla, now);
        var total = await query.CountAsync(cancellationToken);
        var rows = await Order(query, filter, sla)
            .Skip(Math.Max(0, skip))
            .Take(Math.Clamp(filter.PageSize, 1, QueueFilter.MaxPageSize))
            .Select(ToRow)
            .ToListAsync(cancellationToken);
        return new QueueResult(rows, total);
    }

    public async Task<QueueFacets> LoadFacetsAsync(QueueViewer viewer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(viewer);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var visible = Visible(db.Changes.AsNoTracking(), viewer);
        var repositories = await visible.Select(c => c.Repository).Distinct().OrderBy(r => r).Take(500).ToListAsync(cancellationToken);
        var models = await visible.Where(c => c.ModelVersion != null).Select(c => c.ModelVersion!).Distinct().OrderBy(m => m).Take(500).ToListAsync(cancellationToken);
        return new QueueFacets(repositories, models);
    }

    private static IQueryable<Change> Visible(IQueryable<Change> changes, QueueViewer viewer)
    {
        if (viewer.IsSecurityReviewer)
        {
            return changes;
        }

        if (viewer.ApiClientName is { } client)
        {
            if (viewer.Repositories is { } granted)
            {
                var names = granted.ToList();
                changes = changes.Where(c => names.Contains(c.Repository));
            }

            return changes.Where(c => c.Tier != RiskTier.Critical || c.SubmittedBy == client);
        }

        return changes.Where(c => c.Tier != RiskTier.Critical);
    }

    private static IQueryable<Change> Filter(IQueryable<Change> changes, QueueFilter filter, QueueViewer viewer, ReviewSla sla, DateTimeOffset now)
    {
        var query = Visible(changes, viewer);
        switch (filter.View)
        {
            case QueueView.Mine:
                var userId = viewer.Person?.UserId;
                if (userId is null)
                {
                    return query.Where(_ => false);
                }

                query = OpenForReview(query).Where(c => c.Tier != RiskTier.Critical && (c.AssignedToId == null || c.AssignedToId == userId));
                break;
            case QueueView.Security:
                query = OpenForReview(query).Where(c => c.Tier == RiskTier.Critical);
                break;
            case QueueView.All:
            default:
                break;
        }

        if (filter.Repository is { } repository)
        {
            query = query.Where(c => c.Repository == repository);
        }

        if (filter.Tier is { } tier)
        {
            query = query.Where(c => c.Tier == tier);
        }

        if (filter.State is { } state)
        {
            query = query.Where(c => c.State == state);
        }

        if (filter.ModelVersion is { } model)
        {
            query = query.Where(c => c.ModelVersion == model);
        }

        if (filter.UntracedOnly)
        {
            query = query.Where(Change.Untraced);
        }

        if (filter.OlderThanHours is { } hours)
        {
            var submittedBefore = now.AddHours(-hours);
            query = query.Where(c => c.SubmittedAt < submittedBefore);
        }

        if (filter.SlaBreachedOnly)
        {
            // Breached = still waiting for review past its tier's SLA; the cut-offs are computed here, so the index on
            // SubmittedAt serves each tier.
            var low = now - sla.For(RiskTier.Low);
            var medium = now - sla.For(RiskTier.Medium);
            var high = now - sla.For(RiskTier.High);
            var critical = now - sla.For(RiskTier.Critical);
            query = query.Where(c => c.State == ChangeState.Pending && (
                (c.Tier == RiskTier.Low && c.SubmittedAt < low)
                || (c.Tier == RiskTier.Medium && c.SubmittedAt < medium)
                || (c.Tier == RiskTier.High && c.SubmittedAt < high)
                || (c.Tier == RiskTier.Critical && c.SubmittedAt < critical)));
        }

        if (filter.Search is { } search)
        {
            var pattern = "%" + EscapeLike(search) + "%";
            var id = ParseId(search);
            query = query.Where(c => (id != null && c.Id == id)
                                     || EF.Functions.ILike(c.Title, pattern, @"\")
                                     || EF.Functions.ILike(c.Author, pattern, @"\")
                                     || (c.SourceBranch != null && EF.Functions.ILike(c.SourceBranch, pattern, @"\")));
        }

        return query;
    }

    private static IOrderedQueryable<Change> Order(IQueryable<Change> query, QueueFilter filter, ReviewSla sla)
    {
        var descending = filter.Descending;
        IOrderedQueryable<Change> ordered = filter.Sort switch
        {
            QueueSort.Submitted => descending ? query.OrderByDescending(c => c.SubmittedAt) : query.OrderBy(c => c.SubmittedAt),
            QueueSort.Tier => descending ? query.OrderByDescending(c => c.Tier) : query.OrderBy(c => c.Tier),
            QueueSort.Score => descending ? query.OrderByDescending(c => c.RiskScore) : query.OrderBy(c => c.RiskScore),
            QueueSort.Id => descending ? query.OrderByDescending(c => c.Id) : query.OrderBy(c => c.Id),
            QueueSort.Title => descending ? query.OrderByDescending(c => c.Title) : query.OrderBy(c => c.Title),
            QueueSort.Repository => descending ? query.OrderByDescending(c => c.Repository) : query.OrderBy(c => c.Repository),
            QueueSort.State => descending ? query.OrderByDescending(c => c.State) : query.OrderBy(c => c.State),
            _ => OrderByUrgency(query, descending, sla),
        };
        return ordered.ThenBy(c => c.Id);
    }

    private static IOrderedQueryable<Change> OrderByUrgency(IQueryable<Change> query, bool descending, ReviewSla sla)
    {
        var low = sla.For(RiskTier.Low);
        var medium = sla.For(RiskTier.Medium);
        var high = sla.For(RiskTier.High);
        var critical = sla.For(RiskTier.Critical);
        var open = query.OrderBy(c => c.State == ChangeState.Pending ? 0 : c.State == ChangeState.ChangesRequested ? 1 : 2);
        // The SLA deadline: submitted + the tier's SLA. The most overdue comes first.
        return descending
            ? open.ThenByDescending(c => c.SubmittedAt + (c.Tier == RiskTier.Critical ? critical : c.Tier == RiskTier.High ? high : c.Tier == RiskTier.Medium ? medium : low))
            : open.ThenBy(c => c.SubmittedAt + (c.Tier == RiskTier.Critical ? critical : c.Tier == RiskTier.High ? high : c.Tier == RiskTier.Medium ? medium : low));
    }

    private static long? ParseId(string search)
    {
        var digits = search.StartsWith('#') ? search[1..] : search;
        return long.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) ? id : null;
    }

    private static string EscapeLike(string text) =>
        text.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal);
}
