using System.Globalization;
using System.Text;
using Microsoft.Extensions.Primitives;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Domain.Risk;
using ReviewPortal.Domain.Text;

namespace ReviewPortal.Web.Features.Queue;

public enum QueueView
{
    /// <summary>Tiers 1-3 open for review, assigned to the viewer or to nobody.</summary>
    Mine,

    /// <summary>Tier 4 open for review: security reviewers only.</summary>
    Security,

    /// <summary>Every change the viewer may see, in any state.</summary>
    All,
}

public enum QueueSort
{
    /// <summary>Open changes first, then by SLA deadline (submitted + the tier's SLA), most overdue first.</summary>
    Urgency,
    Submitted,
    Tier,
    Score,
    Id,
    Title,
    Repository,
    State,
}

/// <summary>What a queue shows: its view, filters, order and page, as kept in the page's URL and taken by the JSON API.</summary>
public sealed record QueueFilter
{
    public const int DefaultPageSize = 10;
    public const int MaxPageSize = 100;
    public const int MaxSearchLength = 200;

    public QueueView View { get; init; } = QueueView.Mine;
    public string? Repository { get; init; }
    public RiskTier? Tier { get; init; }
    public ChangeState? State { get; init; }
    public string? ModelVersion { get; init; }
    public bool UntracedOnly { get; init; }
    public int? OlderThanHours { get; init; }
    public bool SlaBreachedOnly { get; init; }

    /// <summary>Matches title, author or branch (case-insensitive substring), or the id ("42" or "#42").</summary>
    public string? Search { get; init; }

    public QueueSort Sort { get; init; } = QueueSort.Urgency;
    public bool Descending { get; init; }

    /// <summary>1-based.</summary>
    public int Page { get; init; } = 1;

    public int PageSize { get; init; } = DefaultPageSize;

    public bool HasFilters =>
        Repository is not null || Tier is not null || State is not null || ModelVersion is not null || UntracedOnly
        || OlderThanHours is not null || SlaBreachedOnly || Search is not null;
}

/// <summary>A parsed query string: the filter, and what was wrong with it (parameter name: messages).</summary>
public sealed record QueueFilterParse(QueueFilter Filter, IReadOnlyDictionary<string, string[]> Errors)
{
    public bool IsValid => Errors.Count == 0;
}

/// <summary>
/// The queue's query-string format, shared by the pages (so a link or the back button restores a view exactly) and
/// the JSON API. Bad values are reported by parameter name and left at their defaults.
/// </summary>
public static class QueueQueryString
{
    public const string View = "view";
    public const string Repository = "repository";
    public const string Tier = "tier";
    public const string State = "state";
    public const string Model = "model";
    public const string Untraced = "untraced";
    public const string OlderThanHours = "olderThanHours";
    public const string SlaBreached = "slaBreached";
    public const string Search = "q";
    public const string Sort = "sort";
    public const string Descending = "desc";
    public const string Page = "page";
    public const string PageSize = "pageSize";

    private const int MaxOlderThanHours = 24 * 365;
    private const int MaxPage = 100_000;
    private const int MaxTextLength = 200;

    public static IReadOnlyList<string> SortNames { get; } = Enum.GetValues<QueueSort>().Select(SortName).ToList();

    public static IReadOnlyList<string> StateNames { get; } = Enum.GetValues<ChangeState>().Select(StateName).ToList();

    public static string SortName(QueueSort sort) => sort.ToString().ToLowerInvariant();

    /// <summary>"pending", "changes-requested", "approved", "rejected".</summary>
    public static string StateName(ChangeState state) => state == ChangeState.ChangesRequested ? "changes-requested" : state.ToString().ToLowerInvariant();

    /// <summary>A query to <see cref="Parse"/> from named values, leaving out those that are absent or blank.</summary>
    public static Dictionary<string, StringValues> Query(params (string Name, StringValues Values)[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return values.Where(v => v.Values.Any(text => !string.IsNullOrWhiteSpace(text)))
            .ToDictionary(v => v.Name, v => v.Values, StringComparer.Ordinal);
    }

    public static QueueFilterParse Parse(IEnumerable<KeyValuePair<string, StringValues>> query, QueueView view, bool viewFromQuery = false)
    {
        ArgumentNullException.ThrowIfNull(query);
        var values = query.ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var filter = new QueueFilter { View = view };

        string? Single(string name)
        {
            if (!values.TryGetValue(name, out var value) || value.Count == 0)
            {
                return null;
            }

            if (value.Count > 1)
            {
                errors[name] = [$"Give {name} once."];
                return null;
            }

            if (!StorableText.IsStorable(value[0]))
            {
                // It could never match a stored value, and PostgreSQL refuses it as a parameter.
                errors[name] = [StorableText.Problem];
                return null;
            }

            return string.IsNullOrWhiteSpace(value[0]) ? null : value[0]!.Trim();
        }

        void Fail(string name, string message) => errors[name] = [message];

        string? Text(string name)
        {
            var text = Single(name);
            if (text is { Length: > MaxTextLength })
            {
                Fail(name, $"{name} is longer than {MaxTextLength} characters.");
                return null;
            }

            return text;
        }

        bool Flag(string name)
        {
            var text = Single(name);
            if (text is null)
            {
                return false;
            }

            if (bool.TryParse(text, out var flag))
            {
                return flag;
            }

            Fail(name, $"{name} must be true or false.");
            return false;
        }

        int? Number(string name, int min, int max)
        {
            var text = Single(name);
            if (text is null)
            {
                return null;
            }

            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max)
            {
                return number;
            }

            Fail(name, $"{name} must be a whole number from {min} to {max}.");
            return null;
        }

        if (viewFromQuery && Single(View) is { } viewName)
        {
            if (Enum.TryParse<QueueView>(viewName, ignoreCase: true, out var parsedView) && Enum.IsDefined(parsedView) && !int.TryParse(viewName, CultureInfo.InvariantCulture, out _))
            {
                filter = filter with { View = parsedView };
            }
            else
            {
                Fail(View, "view must be mine, security or all.");
            }
        }

        var state = Single(State);
        ChangeState? parsedState = null;
        if (state is not null)
        {
            parsedState = Enum.GetValues<ChangeState>().Cast<ChangeState?>().FirstOrDefault(s =>
                string.Equals(StateName(s!.Value), state, StringComparison.OrdinalIgnoreCase) || string.Equals(s.Value.ToString(), state, StringComparison.OrdinalIgnoreCase));
            if (parsedState is null)
            {
                Fail(State, $"state must be one of {string.Join(", ", StateNames)}.");
            }
        }

        var sort = Single(Sort);
        var parsedSort = QueueSort.Urgency;
        if (sort is not null)
        {
            var match = Enum.GetValues<QueueSort>().Cast<QueueSort?>().FirstOrDefault(s => string.Equals(SortName(s!.Value), sort, StringComparison.OrdinalIgnoreCase));
            if (match is null)
            {
                Fail(Sort, $"sort must be one of {string.Join(", ", SortNames)}.");
            }

            parsedSort = match ?? QueueSort.Urgency;
        }

        var search = Single(Search);
        if (search is { Length: > QueueFilter.MaxSearchLength })
        {
            Fail(Search, $"q is longer than {QueueFilter.MaxSearchLength} characters.");
            search = null;
        }

        filter = filter with
        {
            Repository = Text(Repository),
            Tier = Number(Tier, 1, 4) is { } tier ? (RiskTier)tier : null,
            State = parsedState,
            ModelVersion = Text(Model),
            UntracedOnly = Flag(Untraced),
            OlderThanHours = Number(OlderThanHours, 1, MaxOlderThanHours),
            SlaBreachedOnly = Flag(SlaBreached),
            Search = search,
            Sort = parsedSort,
            Descending = Flag(Descending),
            Page = Number(Page, 1, MaxPage) ?? 1,
            PageSize = Number(PageSize, 1, QueueFilter.MaxPageSize) ?? QueueFilter.DefaultPageSize,
        };
        return new QueueFilterParse(filter, errors);
    }

    /// <summary>The query string (with "?", or empty) that <see cref="Parse"/> reads back as <paramref name="filter"/>; defaults are left out.</summary>
    public static string Format(QueueFilter filter, bool includeView = false, bool includePageSize = false)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var parts = new List<(string Name, string Value)>();
        if (includeView)
        {
            parts.Add((View, filter.View.ToString().ToLowerInvariant()));
        }

        void Add(string name, string? value)
        {
            if (value is not null)
            {
                parts.Add((name, value));
            }
        }

        Add(Search, filter.Search);
        Add(Repository, filter.Repository);
        Add(Tier, filter.Tier is { } tier ? ((int)tier).ToString(CultureInfo.InvariantCulture) : null);
        Add(State, filter.State is { } state ? StateName(state) : null);
        Add(Model, filter.ModelVersion);
        Add(Untraced, filter.UntracedOnly ? "true" : null);
        Add(OlderThanHours, filter.OlderThanHours?.ToString(CultureInfo.InvariantCulture));
        Add(SlaBreached, filter.SlaBreachedOnly ? "true" : null);
        Add(Sort, filter.Sort == QueueSort.Urgency ? null : SortName(filter.Sort));
        Add(Descending, filter.Descending ? "true" : null);
        Add(Page, filter.Page > 1 ? filter.Page.ToString(CultureInfo.InvariantCulture) : null);
        Add(PageSize, includePageSize || filter.PageSize != QueueFilter.DefaultPageSize ? filter.PageSize.ToString(CultureInfo.InvariantCulture) : null);
        if (parts.Count == 0)
        {
            return "";
        }

        var builder = new StringBuilder("?");
        foreach (var (name, value) in parts)
        {
            builder.Append(builder.Length > 1 ? "&" : "").Append(name).Append('=').Append(Uri.EscapeDataString(value));
        }

        return builder.ToString();
    }
}
