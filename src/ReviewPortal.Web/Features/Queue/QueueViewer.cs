using ReviewPortal.Domain.Queue;
using ReviewPortal.Domain.Risk;

namespace ReviewPortal.Web.Features.Queue;

/// <summary>
/// Who is looking at the queue or a change: a signed-in person with the roles the database holds now, or an API
/// client (agents, CI) known by its key.
/// </summary>
public sealed class QueueViewer
{
    private QueueViewer(PortalPerson? person, string? apiClientName)
    {
        Person = person;
        ApiClientName = apiClientName;
    }

    public PortalPerson? Person { get; }

    public string? ApiClientName { get; }

    public bool IsSecurityReviewer => Person?.IsSecurityReviewer == true;

    /// <summary>Who it is, as logs name them: the user name, or "API client {name}".</summary>
    public string Name => Person is { } person ? person.UserName : $"API client {ApiClientName}";

    public static QueueViewer ForPerson(PortalPerson person)
    {
        ArgumentNullException.ThrowIfNull(person);
        return new(person, null);
    }

    public static QueueViewer ForApiClient(string clientName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clientName);
        return new(null, clientName);
    }

    public bool CanView(RiskTier tier, string submittedBy) =>
        Person is { } person ? ChangeVisibility.CanUserView(tier, person.Roles) : ChangeVisibility.CanApiClientView(tier, ApiClientName!, submittedBy);
}
