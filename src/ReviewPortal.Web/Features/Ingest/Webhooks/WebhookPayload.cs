using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using ReviewPortal.Web.Infrastructure;

namespace ReviewPortal.Web.Features.Ingest.Webhooks;

/// <summary>
/// Reads a stored delivery into its event type, checking its shape at the root: the payload records declare which
/// members are required and which may be null, and the serializer enforces both. A signed payload of the wrong shape
/// fails the same way on every attempt, so it is a <see cref="PermanentFailureException"/>.
/// </summary>
internal static class WebhookPayload
{
    private static readonly JsonSerializerOptions Options = new()
    {
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        Converters = { new UnpairedSurrogateStringConverter() },
    };

    public static T Read<T>(string payload, string eventName)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(payload, Options)
                   ?? throw new PermanentFailureException($"The {eventName} payload is null.");
        }
        catch (JsonException ex)
        {
            throw new PermanentFailureException($"The {eventName} payload does not have the expected shape at {ex.Path ?? "$"}: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// SCMs send text as they hold it, and a PR title can carry a lone surrogate escape (<c>\ud800</c>) that the
    /// default converter refuses. Such a string is read as it is, so that <see cref="ChangeIngestor"/> repairs it
    /// like any other unstorable text and says which field it altered, instead of the delivery failing.
    /// </summary>
    private sealed class UnpairedSurrogateStringConverter : JsonConverter<string>
    {
        public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                throw new JsonException($"Expected a string, found {reader.TokenType}.");
            }

            try
            {
                return reader.GetString()!;
            }
            catch (InvalidOperationException)
            {
                return Unescape(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan);
            }
        }

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);

        /// <summary>JSON string escapes decoded code unit by code unit; the reader has already checked their syntax.</summary>
        private static string Unescape(ReadOnlySpan<byte> raw)
        {
            var text = new StringBuilder(raw.Length);
            var start = 0;
            for (var i = 0; i < raw.Length; i++)
            {
                if (raw[i] != (byte)'\\')
                {
                    continue;
                }

                text.Append(Encoding.UTF8.GetString(raw[start..i]));
                var escape = (char)raw[++i];
                if (escape == 'u')
                {
                    text.Append((char)Convert.ToUInt16(Encoding.ASCII.GetString(raw.Slice(i + 1, 4)), 16));
                    i += 4;
                }
                else
                {
                    text.Append(escape switch { 'b' => '\b', 'f' => '\f', 'n' => '\n', 'r' => '\r', 't' => '\t', _ => escape });
                }

                start = i + 1;
            }

            return text.Append(Encoding.UTF8.GetString(raw[start..])).ToString();
        }
    }
}
