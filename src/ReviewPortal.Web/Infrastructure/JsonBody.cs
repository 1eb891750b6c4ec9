using System.Text.Json;

namespace ReviewPortal.Web.Infrastructure;

/// <summary>
/// Reads a JSON request body by hand rather than through model binding, so that every way it can be wrong gets a
/// problem+json answer naming the field: 415 for a non-JSON body, 400 with the field path for malformed JSON.
/// </summary>
public static class JsonBody
{
    private static readonly JsonSerializerOptions RequestJson = new(JsonSerializerDefaults.Web);

    public static async Task<(T? Body, IResult? Error)> ReadAsync<T>(HttpRequest request, ILogger logger, CancellationToken cancellationToken)
        where T : class
    {
        if (!request.HasJsonContentType())
        {
            logger.LogWarning("{Path} rejected: content type {ContentType}.", request.Path, request.ContentType);
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "The body must be JSON (Content-Type: application/json)."));
        }

        try
        {
            var body = await JsonSerializer.DeserializeAsync<T>(request.Body, RequestJson, cancellationToken);
            return body is null
                ? (null, TypedResults.ValidationProblem(new Dictionary<string, string[]>(StringComparer.Ordinal) { ["$"] = ["A JSON object is required."] }))
                : (body, null);
        }
        catch (JsonException ex)
        {
            logger.LogWarning("{Path} rejected: malformed JSON at {JsonPath}: {Message}", request.Path, ex.Path, ex.Message);
            return (null, TypedResults.ValidationProblem(
                new Dictionary<string, string[]>(StringComparer.Ordinal) { [FieldPath(ex.Path)] = [$"Malformed JSON (line {ex.LineNumber}, byte {ex.BytePositionInLine})."] },
                title: "The request body is not valid JSON for this request."));
        }
        catch (BadHttpRequestException ex)
        {
            logger.LogWarning("{Path} rejected: {Message}", request.Path, ex.Message);
            return (null, TypedResults.Problem(statusCode: ex.StatusCode, title: "The request body could not be read.", detail: ex.Message));
        }
    }

    /// <summary>"$.files[0].path" becomes "files[0].path", the key format validation errors use too; the root stays "$".</summary>
    private static string FieldPath(string? jsonPath) =>
        jsonPath is null or "$" ? "$" : jsonPath.StartsWith("$.", StringComparison.Ordinal) ? jsonPath[2..] : jsonPath;
}
