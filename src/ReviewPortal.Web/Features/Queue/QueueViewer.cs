using ReviewPortal.Domain.Queue;
using ReviewPortal.Domain.Risk;

namespace ReviewPortal.Web.Features.Queue;

/// <summary>
/// Who is looking at the queue or a change: a signed-in person with the roles the database holds now, or an API
/// client (agents, CI) known by its key.
/// </summary>
public sealed class QueueViewer
{
    private QueueViewer(PortalPerson? person, string? apiClientName, IReadOnlySet<string>? repositories)
    {
        Person = person;
        ApiClientName = apiClientName;
        Repositories = repositories;
    }

    public PortalPerson? Person { get; }

    public string? ApiClientName { get; }

    /// <summary>The repositories an API client is limited to by its grants; null when not limited (and for people).</summary>
    public IReadOnlySet<string>? Repositories { get; }

    public bool IsSecurityReviewer => Person?.IsSecurityReviewer == true;

    /// <summary>Who it is, as logs name them: the user name, or "API client {name}".</summary>
    public string Name => Person is { } person ? person.UserName : $"API client {ApiClientName}";

    public static QueueViewer ForPerson(PortalPerson person)
    {
        ArgumentNullException.ThrowIfNull(person);
        return new(person, null, null);
    }

    public static QueueViewer ForApiClient(string clientName, IReadOnlySet<string>? repositories = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clientName);
        return new(null, clientName, repositories);
    }

    /// <summary>Whether the viewer may see changes of <paramref name="repository"/> at all: an API client limited by grants sees only those.</summary>
    public bool MayUseRepository(string repository) => Repositories is null || Repositories.Contains(repository);

    public bool CanView(RiskTier tier, string submittedBy) =>
        Person is { } person ? ChangeVisibility.CanUserView(tier, person.Roles) : ChangeVisibility.CanApiClientView(tier, ApiClientName!, submittedBy);
}
