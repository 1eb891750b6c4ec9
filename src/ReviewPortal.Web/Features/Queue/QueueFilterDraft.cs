using System.Globalization;
using Microsoft.Extensions.Primitives;

namespace ReviewPortal.Web.Features.Queue;

/// <summary>
/// The filter bar's fields as the user edits them. Apply turns them into a query string and reads it back through
/// <see cref="QueueQueryString.Parse"/>, so the bar and the address accept exactly the same values.
/// </summary>
public sealed class QueueFilterDraft
{
    public string? Search { get; set; }
    public string Repository { get; set; } = "";
    public string Tier { get; set; } = "";
    public string State { get; set; } = "";
    public string ModelVersion { get; set; } = "";
    public string? OlderThanHours { get; set; }
    public bool UntracedOnly { get; set; }
    public bool SlaBreachedOnly { get; set; }
    public string Sort { get; set; } = QueueQueryString.SortName(QueueSort.Urgency);
    public bool Descending { get; set; }

    public static QueueFilterDraft From(QueueFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return new()
        {
            Search = filter.Search,
            Repository = filter.Repository ?? "",
            Tier = filter.Tier is { } tier ? ((int)tier).ToString(CultureInfo.InvariantCulture) : "",
            State = filter.State is { } state ? QueueQueryString.StateName(state) : "",
            ModelVersion = filter.ModelVersion ?? "",
            OlderThanHours = filter.OlderThanHours?.ToString(CultureInfo.InvariantCulture),
            UntracedOnly = filter.UntracedOnly,
            SlaBreachedOnly = filter.SlaBreachedOnly,
            Sort = QueueQueryString.SortName(filter.Sort),
            Descending = filter.Descending,
        };
    }

    public Dictionary<string, StringValues> ToQuery() => QueueQueryString.Query(
        (QueueQueryString.Search, Search),
        (QueueQueryString.Repository, Repository),
        (QueueQueryString.Tier, Tier),
        (QueueQueryString.State, State),
        (QueueQueryString.Model, ModelVersion),
        (QueueQueryString.OlderThanHours, OlderThanHours),
        (QueueQueryString.Untraced, UntracedOnly ? "true" : null),
        (QueueQueryString.SlaBreached, SlaBreachedOnly ? "true" : null),
        (QueueQueryString.Sort, Sort),
        (QueueQueryString.Descending, Descending ? "true" : null));
}
