using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Unicode;

namespace ReviewPortal.Domain.Text;

/// <summary>
/// The one rule for text the portal keeps (docs/decisions/0024). PostgreSQL's text and jsonb cannot hold U+0000, and
/// a string with an unpaired UTF-16 surrogate has no UTF-8 form, so neither can be stored. File content with a NUL is
/// a binary file. Any other text with such characters is refused where the sender can fix it (the API answers 400
/// naming the field) and repaired where it cannot (SCM data: each such character becomes U+FFFD and the change says
/// which field was altered, see <see cref="StorableTextRepairs"/>).
/// </summary>
public static class StorableText
{
    public const char Replacement = '\uFFFD';

    /// <summary>What the API says about a text field that breaks the rule.</summary>
    public const string Problem = "Contains characters that cannot be stored: U+0000 or an unpaired surrogate.";

    private static readonly SearchValues<char> Suspects = SearchValues.Create(
        "\0" + string.Create(0xE000 - 0xD800, 0, static (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = (char)(0xD800 + i);
            }
        }));

    public static bool IsStorable([NotNullWhen(false)] string? value) => value is null || IndexOfUnstorable(value) < 0;

    /// <summary>The position of the first NUL or unpaired surrogate, or -1.</summary>
    public static int IndexOfUnstorable(ReadOnlySpan<char> text)
    {
        var offset = 0;
        while (true)
        {
            var found = text[offset..].IndexOfAny(Suspects);
            if (found < 0)
            {
                return -1;
            }

            var i = offset + found;
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                offset = i + 2;
                continue;
            }

            return i;
        }
    }

    /// <summary>The value with each NUL and unpaired surrogate replaced by U+FFFD (the same instance when there is none).</summary>
    [return: NotNullIfNotNull(nameof(value))]
    public static string? Repair(string? value)
    {
        if (value is null || IndexOfUnstorable(value) is var first && first < 0)
        {
            return value;
        }

        return string.Create(value.Length, (value, first), static (span, state) =>
        {
            var (text, start) = state;
            text.AsSpan().CopyTo(span);
            for (var i = start; i < span.Length; i++)
            {
                var c = span[i];
                if (char.IsHighSurrogate(c) && i + 1 < span.Length && char.IsLowSurrogate(span[i + 1]))
                {
                    i++;
                }
                else if (c == '\0' || char.IsSurrogate(c))
                {
                    span[i] = Replacement;
                }
            }
        });
    }

    /// <summary>
    /// At most <paramref name="maxLength"/> characters, never cutting a surrogate pair in half (which would leave
    /// an unpaired surrogate behind).
    /// </summary>
    [return: NotNullIfNotNull(nameof(value))]
    public static string? Truncate(string? value, int maxLength)
    {
        if (value is null || value.Length <= maxLength)
        {
            return value;
        }

        var end = maxLength > 0 && char.IsHighSurrogate(value[maxLength - 1]) && char.IsLowSurrogate(value[maxLength]) ? maxLength - 1 : maxLength;
        return value[..end];
    }

    /// <summary>
    /// Text an SCM holds as bytes (a commit's subject and author, a file's content), as UTF-8; each invalid byte
    /// sequence becomes U+0000, so <see cref="StorableTextRepairs"/> replaces it with U+FFFD and says so.
    /// </summary>
    public static string DecodeScmUtf8(ReadOnlySpan<byte> bytes)
    {
        if (Utf8.IsValid(bytes))
        {
            return Encoding.UTF8.GetString(bytes);
        }

        // Decoding straight to U+FFFD would hide the alteration from the repair that notes it.
        var text = new StringBuilder(bytes.Length);
        Span<char> units = stackalloc char[2];
        while (!bytes.IsEmpty)
        {
            if (Rune.DecodeFromUtf8(bytes, out var rune, out var consumed) == OperationStatus.Done)
            {
                text.Append(units[..rune.EncodeToUtf16(units)]);
            }
            else
            {
                text.Append('\0');
            }

            bytes = bytes[consumed..];
        }

        return text.ToString();
    }

    /// <summary>
    /// File bytes with a NUL anywhere are a binary file. Git looks only at the first 8,000 bytes, but a NUL further on
    /// could not be stored as text either.
    /// </summary>
    public static bool IsBinary(ReadOnlySpan<byte> content) => content.Contains((byte)0);

    /// <summary>File content sent as text (the API's <c>oldContent</c>/<c>newContent</c>) with a NUL in it is a binary file.</summary>
    public static bool IsBinary(string? content) => content is not null && content.Contains('\0', StringComparison.Ordinal);
}

/// <summary>
/// Repairs the text fields of one piece of SCM data (a pull request, a commit) by <see cref="StorableText.Repair"/>
/// and remembers which fields it altered, so the change can say so.
/// </summary>
public sealed class StorableTextRepairs
{
    private readonly List<string> _fields = [];

    public IReadOnlyList<string> Fields => _fields;

    [return: NotNullIfNotNull(nameof(value))]
    public string? Repair(string field, string? value)
    {
        var repaired = StorableText.Repair(value);
        if (!ReferenceEquals(repaired, value) && !_fields.Contains(field, StringComparer.Ordinal))
        {
            _fields.Add(field);
        }

        return repaired;
    }

    /// <summary>The note for the change's timeline, or null when nothing was altered.</summary>
    public string? Note => _fields.Count == 0
        ? null
        : $"Characters that cannot be stored (U+0000 or an unpaired surrogate) were replaced with \uFFFD in: {string.Join(", ", _fields)}.";
}
