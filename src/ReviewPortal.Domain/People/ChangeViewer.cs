using System.Linq.Expressions;
using ReviewPortal.Domain.Queue;
using ReviewPortal.Domain.Risk;

namespace ReviewPortal.Domain.People;

/// <summary>
/// Who is looking at the queue or a change: a signed-in <see cref="Reviewer"/> with the roles the database holds now,
/// or an API client (agents, CI) known by its key.
/// </summary>
public sealed class ChangeViewer
{
    private readonly Lazy<Func<RiskTier, string, bool>> _canView;

    private ChangeViewer(Reviewer? person, string? apiClientName)
    {
        Person = person;
        ApiClientName = apiClientName;
        Visibility = ChangeVisibility.Rule(person?.IsSecurityReviewer == true, apiClientName);
        _canView = new(Visibility.Compile);
    }

    public Reviewer? Person { get; }

    public string? ApiClientName { get; }

    public bool IsSecurityReviewer => Person?.IsSecurityReviewer == true;

    /// <summary>The visibility rule for this viewer, as queries filter with it.</summary>
    public Expression<Func<RiskTier, string, bool>> Visibility { get; }

    /// <summary>Who it is, as logs name them: the user name, or "API client {name}".</summary>
    public string Name => Person is { } person ? person.UserName : $"API client {ApiClientName}";

    public static ChangeViewer ForPerson(Reviewer person)
    {
        ArgumentNullException.ThrowIfNull(person);
        return new(person, null);
    }

    public static ChangeViewer ForApiClient(string clientName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clientName);
        return new(null, clientName);
    }

    /// <summary>Whether this viewer may see a change of <paramref name="tier"/> submitted by <paramref name="submittedBy"/>.</summary>
    public bool CanView(RiskTier tier, string submittedBy) => _canView.Value(tier, submittedBy);
}
