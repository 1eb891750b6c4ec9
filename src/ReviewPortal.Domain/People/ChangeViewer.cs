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
    private readonly Lazy<Func<RiskTier, string, string, bool>> _canView;

    private ChangeViewer(Reviewer? person, string? apiClientName, IReadOnlySet<string>? repositories)
    {
        Person = person;
        ApiClientName = apiClientName;
        Repositories = repositories;
        Visibility = ChangeVisibility.Rule(person?.IsSecurityReviewer == true, apiClientName, repositories);
        _canView = new(Visibility.Compile);
    }

    public Reviewer? Person { get; }

    public string? ApiClientName { get; }

    /// <summary>The repositories an API client is limited to by its grants; null when not limited (and for people).</summary>
    public IReadOnlySet<string>? Repositories { get; }

    public bool IsSecurityReviewer => Person?.IsSecurityReviewer == true;

    /// <summary>The visibility rule for this viewer over a change's tier, submitter and repository, as queries filter with it.</summary>
    public Expression<Func<RiskTier, string, string, bool>> Visibility { get; }

    /// <summary>Who it is, as logs name them: the user name, or "API client {name}".</summary>
    public string Name => Person is { } person ? person.UserName : $"API client {ApiClientName}";

    public static ChangeViewer ForPerson(Reviewer person)
    {
        ArgumentNullException.ThrowIfNull(person);
        return new(person, null, null);
    }

    public static ChangeViewer ForApiClient(string clientName, IReadOnlySet<string>? repositories = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clientName);
        return new(null, clientName, repositories);
    }

    /// <summary>Whether the viewer may work in <paramref name="repository"/> at all: an API client limited by grants only in those.</summary>
    public bool MayUseRepository(string repository) => Repositories is null || Repositories.Contains(repository);

    /// <summary>Whether this viewer may see a change of <paramref name="tier"/> submitted by <paramref name="submittedBy"/> in <paramref name="repository"/>.</summary>
    public bool CanView(RiskTier tier, string submittedBy, string repository) => _canView.Value(tier, submittedBy, repository);
}
