using System.Buffers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Npgsql;
using ReviewPortal.Domain.Webhooks;
using ReviewPortal.Web.Data;

namespace ReviewPortal.Web.Features.Ingest.Webhooks;

/// <summary>
/// Receives a webhook delivery: the repository (and so its secret) comes from the URL, the body is read raw up to
/// 25 MB, authenticated over its exact bytes, checked to be JSON (or a form whose <c>payload</c> field is JSON, GitHub's
/// other content type), stored in the inbox as that JSON and acknowledged with 202.
/// The slow work happens later in <see cref="InboxWorker"/>. Our own faults answer 503, never 4xx, because GitLab
/// disables hooks that keep failing with client errors and both SCMs retry 5xx.
/// </summary>
public sealed class WebhookReceiver(WebhookSecretCache secrets, InboxWriter inbox, ILogger<WebhookReceiver> logger)
{
    public const int MaxBodyBytes = 25 * 1024 * 1024;

    public async Task<IResult> ReceiveAsync(ScmProvider provider, long repositoryId, HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var cancellationToken = http.RequestAborted;
        try
        {
            var target = await secrets.FindAsync(repositoryId, provider, cancellationToken);
            if (target is null)
            {
                logger.LogWarning("{Provider} webhook for unknown repository {RepositoryId}.", provider, repositoryId);
                return Problem(StatusCodes.Status404NotFound, "No registered repository has this webhook URL.");
            }

            if (http.Request.ContentLength > MaxBodyBytes)
            {
                return TooLarge(provider, repositoryId);
            }

            var body = await ReadBodyAsync(http.Request, cancellationToken);
            if (body is null)
            {
                return TooLarge(provider, repositoryId);
            }

            var headers = http.Request.Headers;
            var authentic = provider == ScmProvider.GitHub
                ? WebhookSignature.IsValidGitHub(target.Secret, body, headers["X-Hub-Signature-256"].FirstOrDefault())
                : WebhookSignature.IsValidGitLab(Encoding.UTF8.GetString(target.Secret), headers["X-Gitlab-Token"].FirstOrDefault());
            if (!authentic)
            {
                logger.LogWarning("{Provider} webhook for repository {RepositoryId} rejected: bad or missing signature.", provider, repositoryId);
                return Problem(StatusCodes.Status401Unauthorized, "Bad or missing webhook signature.");
            }

            var (eventType, deliveryId) = provider == ScmProvider.GitHub
                ? (headers["X-GitHub-Event"].FirstOrDefault(), headers["X-GitHub-Delivery"].FirstOrDefault())
                : (headers["X-Gitlab-Event"].FirstOrDefault(), headers["Idempotency-Key"].FirstOrDefault() ?? headers["X-Gitlab-Event-UUID"].FirstOrDefault());
            if (string.IsNullOrWhiteSpace(eventType) || string.IsNullOrWhiteSpace(deliveryId) || deliveryId.Length > 200 || eventType.Length > 100)
            {
                return Problem(StatusCodes.Status400BadRequest, "The event type and delivery id headers are required.");
            }

            var json = IsFormEncoded(http.Request) ? FormPayload(body) : body;
            if (json is null || !IsJsonObject(json))
            {
                logger.LogWarning("{Provider} delivery {DeliveryId} for repository {RepositoryId} is not a JSON object.", provider, deliveryId, repositoryId);
                return Problem(StatusCodes.Status400BadRequest, "The body is not a JSON object (or a form whose payload field is one).");
            }

            if (!IsRelevant(provider, eventType))
            {
                // Acknowledged, not stored: ping and events we do not act on.
                return TypedResults.Accepted((string?)null, new { delivery = deliveryId, stored = false });
            }

            var stored = await inbox.StoreAsync(target.RepositoryId, provider, deliveryId, eventType, Encoding.UTF8.GetString(json), cancellationToken);
            return TypedResults.Accepted((string?)null, new { delivery = deliveryId, stored, duplicate = !stored });
        }
        catch (Exception ex) when (IsTransient(ex) && !cancellationToken.IsCancellationRequested)
        {
            logger.LogError(ex, "{Provider} webhook for repository {RepositoryId} could not be stored.", provider, repositoryId);
            http.Response.Headers.RetryAfter = "5";
            return Problem(StatusCodes.Status503ServiceUnavailable, "The delivery could not be stored right now; retry it.");
        }
    }

    public static bool IsRelevant(ScmProvider provider, string eventType) => provider == ScmProvider.GitHub
        ? eventType == "pull_request"
        : eventType == "Merge Request Hook";

    private static bool IsTransient(Exception ex) =>
        ex is NpgsqlException or TimeoutException or SocketException or InvalidOperationException { InnerException: NpgsqlException }
        || (ex is OperationCanceledException && ex.InnerException is TimeoutException);

    private IResult TooLarge(ScmProvider provider, long repositoryId)
    {
        logger.LogWarning("{Provider} webhook for repository {RepositoryId} rejected: body over {Limit} bytes.", provider, repositoryId, MaxBodyBytes);
        return Problem(StatusCodes.Status413PayloadTooLarge, "The body is larger than 25 MB.");
    }

    /// <summary>The whole body, or null when it is longer than the limit (whatever Content-Length said).</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>((int)Math.Clamp(request.ContentLength ?? 16 * 1024, 1, MaxBodyBytes));
        while (true)
        {
            var memory = buffer.GetMemory(64 * 1024);
            var read = await request.Body.ReadAsync(memory, cancellationToken);
            if (read == 0)
            {
                return buffer.WrittenSpan.ToArray();
            }

            buffer.Advance(read);
            if (buffer.WrittenCount > MaxBodyBytes)
            {
                return null;
            }
        }
    }

    private static bool IsFormEncoded(HttpRequest request) =>
        request.ContentType is { } contentType
        && contentType.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);

    /// <summary>The <c>payload</c> field of a form-encoded delivery, as UTF-8; null when the form has none or cannot be read.</summary>
    private static byte[]? FormPayload(byte[] body)
    {
        try
        {
            using var reader = new FormReader(Encoding.UTF8.GetString(body)) { ValueLengthLimit = MaxBodyBytes, KeyLengthLimit = 1024 };
            return reader.ReadForm().TryGetValue("payload", out var payload) && payload.Count == 1 ? Encoding.UTF8.GetBytes(payload[0]!) : null;
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    private static bool IsJsonObject(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static IResult Problem(int status, string title) => TypedResults.Problem(statusCode: status, title: title);
}
