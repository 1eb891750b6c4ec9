using ReviewPortal.Domain.People;
using ReviewPortal.Web.Data;

namespace ReviewPortal.Web.Features.Shared;

public static class ChangeQueries
{
    /// <summary>The changes <paramref name="viewer"/> may see: <see cref="ChangeViewer.Visibility"/>, translated to SQL.</summary>
    public static IQueryable<Change> VisibleTo(this IQueryable<Change> changes, ChangeViewer viewer)
    {
        ArgumentNullException.ThrowIfNull(viewer);
        return changes.Where(QueryExpressions.Apply(viewer.Visibility, (Change c) => c.Tier, c => c.SubmittedBy, c => c.Repository));
    }
}
