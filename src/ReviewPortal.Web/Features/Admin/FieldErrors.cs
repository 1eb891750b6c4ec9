using ReviewPortal.Domain.Text;

namespace ReviewPortal.Web.Features.Admin;

/// <summary>
/// Why an admin form or API body was refused, field by field, keyed by the field's API name (camelCase): the API
/// answers them as a validation problem and the pages show each at its field.
/// </summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, string[]> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    /// <summary>True when a refusal is a clash with what is stored (a taken name), not a malformed value: the API answers 409.</summary>
    public bool IsConflict { get; private set; }

    /// <summary>The HTTP status the refusals call for.</summary>
    public int StatusCode => IsConflict ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest;

    public IDictionary<string, string[]> ToDictionary() => new Dictionary<string, string[]>(_errors, StringComparer.Ordinal);

    /// <summary>The messages for <paramref name="field"/> and its items (<c>field[0]</c>...), or null when it is fine.</summary>
    public string? For(string field)
    {
        var messages = _errors.Where(e => e.Key == field || e.Key.StartsWith(field + "[", StringComparison.Ordinal)).SelectMany(e => e.Value).ToList();
        return messages.Count == 0 ? null : string.Join(" ", messages);
    }

    /// <summary>Refuses <paramref name="field"/> because its value is taken by a stored row.</summary>
    public void AddConflict(string field, string message)
    {
        IsConflict = true;
        Add(field, message);
    }

    public void Add(string field, string message) =>
        _errors[field] = _errors.TryGetValue(field, out var existing) ? [.. existing, message] : [message];

    /// <summary>
    /// Refuses <paramref name="value"/> when it is required and empty, longer than its column
    /// (<paramref name="maxLength"/>, from the EF model) or not storable; <paramref name="label"/> names the field in the message.
    /// </summary>
    public void CheckText(string field, string label, string? value, int? maxLength, bool required = false)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                Add(field, $"{label} is required.");
            }

            return;
        }

        if (maxLength is { } max && value.Trim().Length > max)
        {
            Add(field, $"{label} must be at most {max} characters (it has {value.Trim().Length}).");
        }

        if (!StorableText.IsStorable(value))
        {
            Add(field, $"{label}: {StorableText.Problem}");
        }
    }
}
