using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace ReviewPortal.Web.Infrastructure;

/// <summary>
/// Reads a JSON request body by hand rather than through model binding, so that every way it can be wrong gets a
/// problem+json answer naming the field: 415 for a non-JSON body, 400 for malformed JSON (where it broke) or for
/// values of the wrong type (every such field, not only the first).
/// </summary>
public static class JsonBody
{
    private static readonly JsonSerializerOptions RequestJson = new(JsonSerializerDefaults.Web);

    public static async Task<(T? Body, IResult? Error)> ReadAsync<T>(HttpRequest request, ILogger logger, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.HasJsonContentType())
        {
            logger.LogWarning("{Path} rejected: content type {ContentType}.", request.Path, request.ContentType);
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "The body must be JSON (Content-Type: application/json)."));
        }

        byte[] bytes;
        try
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, cancellationToken);
            bytes = buffer.ToArray();
        }
        catch (BadHttpRequestException ex)
        {
            logger.LogWarning("{Path} rejected: {Message}", request.Path, ex.Message);
            return (null, TypedResults.Problem(statusCode: ex.StatusCode, title: "The request body could not be read.", detail: ex.Message));
        }

        try
        {
            var body = JsonSerializer.Deserialize<T>(bytes, RequestJson);
            return body is null
                ? (null, Invalid(new Dictionary<string, string[]>(StringComparer.Ordinal) { ["$"] = ["A JSON object is required."] }))
                : (body, null);
        }
        catch (JsonException ex)
        {
            var errors = Errors(bytes, typeof(T), ex);
            logger.LogWarning("{Path} rejected: invalid JSON at {Fields}: {Message}", request.Path, string.Join(", ", errors.Keys), ex.Message);
            return (null, Invalid(errors));
        }
    }

    /// <summary>Malformed JSON is named where it broke; well-formed JSON with wrong values names every such value.</summary>
    private static Dictionary<string, string[]> Errors(byte[] bytes, Type type, JsonException failure)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes);
        }
        catch (JsonException)
        {
            errors[FieldPath(failure.Path)] = [$"Malformed JSON (line {failure.LineNumber}, byte {failure.BytePositionInLine})."];
            return errors;
        }

        using (document)
        {
            CollectErrors(document.RootElement, type, "$", errors);
        }

        return errors;
    }

    /// <summary>"$.files[0].path" becomes "files[0].path", the key format validation errors use too; the root stays "$".</summary>
    private static string FieldPath(string? jsonPath) =>
        jsonPath is null or "$" ? "$" : jsonPath.StartsWith("$.", StringComparison.Ordinal) ? jsonPath[2..] : jsonPath;

    private static IResult Invalid(Dictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, title: "The request body is not valid JSON for this request.");

    /// <summary>
    /// Finds every value that cannot be read as its member's type, descending through objects and arrays, and keys
    /// each by its field path ("files[0].path", the format the validators use; "$" for the document itself).
    /// </summary>
    private static void CollectErrors(JsonElement element, Type type, string path, Dictionary<string, string[]> errors)
    {
        try
        {
            element.Deserialize(type, RequestJson);
            return;
        }
        catch (JsonException)
        {
            // Look closer below.
        }

        var before = errors.Count;
        var info = RequestJson.GetTypeInfo(type);
        if (info.Kind == JsonTypeInfoKind.Object && element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                var member = info.Properties.FirstOrDefault(p => string.Equals(p.Name, property.Name, StringComparison.OrdinalIgnoreCase));
                if (member is not null)
                {
                    CollectErrors(property.Value, member.PropertyType, path == "$" ? member.Name : $"{path}.{member.Name}", errors);
                }
            }
        }
        else if (info.Kind == JsonTypeInfoKind.Enumerable && element.ValueKind == JsonValueKind.Array && info.ElementType is { } elementType)
        {
            var index = 0;
            foreach (var item in element.EnumerateArray())
            {
                CollectErrors(item, elementType, $"{path}[{index++}]", errors);
            }
        }

        if (errors.Count == before)
        {
            errors[path] = [Expected(type, element)];
        }
    }

    private static string Expected(Type type, JsonElement element)
    {
        var target = Nullable.GetUnderlyingType(type) ?? type;
        if (target == typeof(string) && element.ValueKind == JsonValueKind.String)
        {
            // A JSON string that is not a .NET string: an escaped unpaired surrogate ("\ud800"), which is not text.
            return "Not valid Unicode text: it contains an unpaired surrogate.";
        }

        var kind = RequestJson.GetTypeInfo(target).Kind;
        var expected = target == typeof(string) ? "a string"
            : target == typeof(bool) ? "true or false"
            : target.IsPrimitive || target == typeof(decimal) ? "a number"
            : kind == JsonTypeInfoKind.Enumerable ? "an array"
            : kind == JsonTypeInfoKind.Object ? "an object"
            : "a different value";
        return $"Expected {expected}, found {element.ValueKind.ToString().ToLowerInvariant()}.";
    }
}
