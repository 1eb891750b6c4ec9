using System.Security.Claims;
using ReviewPortal.Domain.People;

namespace ReviewPortal.Web.Features.Shared;

/// <summary>
/// The person using this circuit (or this request), as the database knows them: read once per principal. A circuit's
/// principal is replaced whenever the revalidating state provider finds the account changed (roles, sessions), and
/// the pages that cascade the authentication state ask again then, so the person is read afresh exactly when it may
/// have changed. One per scope, so one per circuit.
/// </summary>
public sealed class CurrentReviewer(ReviewerDirectory directory) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (ClaimsPrincipal Principal, Reviewer? Reviewer)? _known;

    /// <summary>The person behind <paramref name="user"/>, read from the database the first time this scope asks about this principal.</summary>
    public async Task<Reviewer?> GetAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        if (ReviewerDirectory.UserIdOf(user) is not { } userId)
        {
            return null;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_known is { } known && ReferenceEquals(known.Principal, user))
            {
                return known.Reviewer;
            }

            var reviewer = await directory.FindAsync(userId, cancellationToken);
            _known = (user, reviewer);
            return reviewer;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Who <paramref name="user"/> is as a viewer of changes: an API client, or the person; null for anyone else.</summary>
    public async Task<ChangeViewer?> ViewerAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (ApiClientPrincipal.NameOf(user) is { } client)
        {
            return ChangeViewer.ForApiClient(client, ApiClientPrincipal.RepositoriesOf(user));
        }

        return await GetAsync(user, cancellationToken) is { } person ? ChangeViewer.ForPerson(person) : null;
    }

    public void Dispose() => _gate.Dispose();
}
