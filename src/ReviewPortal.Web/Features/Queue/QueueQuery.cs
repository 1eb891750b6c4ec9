using Microsoft.EntityFrameworkCore;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Web.Data;

namespace ReviewPortal.Web.Features.Queue;

public enum QueueSortColumn
{
    Default,
    Id,
    Title,
    Tier,
    RiskScore,
    State,
    SubmittedAt,
}

/// <summary>One page of the queue, sorted on the server; the default order puts pending, high-tier, old changes first.</summary>
public sealed class QueueQuery(IDbContextFactory<PortalDbContext> dbFactory)
{
    public async Task<(IReadOnlyList<QueueRow> Rows, int Total)> LoadAsync(int skip, int take, QueueSortColumn sort, bool descending, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Changes.AsNoTracking();
        var total = await query.CountAsync(cancellationToken);

        IOrderedQueryable<Change> ordered = sort switch
        {
            QueueSortColumn.Id => descending ? query.OrderByDescending(c => c.Id) : query.OrderBy(c => c.Id),
            QueueSortColumn.Title => descending ? query.OrderByDescending(c => c.Title) : query.OrderBy(c => c.Title),
            QueueSortColumn.Tier => descending ? query.OrderByDescending(c => c.Tier) : query.OrderBy(c => c.Tier),
            QueueSortColumn.RiskScore => descending ? query.OrderByDescending(c => c.RiskScore) : query.OrderBy(c => c.RiskScore),
            QueueSortColumn.State => descending ? query.OrderByDescending(c => c.State) : query.OrderBy(c => c.State),
            QueueSortColumn.SubmittedAt => descending ? query.OrderByDescending(c => c.SubmittedAt) : query.OrderBy(c => c.SubmittedAt),
            _ => query.OrderBy(c => c.State == ChangeState.Pending ? 0 : 1).ThenByDescending(c => c.Tier).ThenBy(c => c.SubmittedAt),
        };

        var rows = await ordered.ThenBy(c => c.Id)
            .Skip(Math.Max(0, skip))
            .Take(Math.Clamp(take, 1, 200))
            .Select(c => new QueueRow(c.Id, c.Title, c.Repository, c.Tier, c.RiskScore, c.ModelVersion, c.AgentSessionId, c.State, c.DecidedBy, c.SubmittedAt, c.Additions, c.Deletions, c.IsAgentAuthored))
            .ToListAsync(cancellationToken);
        return (rows, total);
    }
}
