using ReviewPortal.Domain.People;

namespace ReviewPortal.Web.Features.Queue;

/// <summary>
/// One page of a queue view for a viewer: what the queue pages load their grid from. <see cref="QueueQuery"/> is the
/// one implementation; the seam lets a component test hold a load back to show that an overtaken load never shows.
/// </summary>
public interface IQueueRows
{
    Task<QueueResult> LoadAsync(QueueFilter filter, ChangeViewer viewer, CancellationToken cancellationToken = default);
}
