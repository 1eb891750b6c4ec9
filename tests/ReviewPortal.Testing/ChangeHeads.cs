using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ReviewPortal.Domain.Policy;
using ReviewPortal.Web.Data;

namespace ReviewPortal.Testing;

public static class ChangeHeads
{
    /// <summary>The head of change <paramref name="changeId"/> as a reviewer's screen shows it now: what a decision made now is made on.</summary>
    public static async Task<DecisionTarget> HeadOfAsync(this IServiceProvider services, long changeId)
    {
        ArgumentNullException.ThrowIfNull(services);
        await using var scope = services.CreateAsyncScope();
        var head = await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Changes.AsNoTracking()
            .Where(c => c.Id == changeId).Select(c => new { c.RevisionCount, c.HeadSha }).SingleAsync();
        return new DecisionTarget(head.RevisionCount, head.HeadSha);
    }
}
