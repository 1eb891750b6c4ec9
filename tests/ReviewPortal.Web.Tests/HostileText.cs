using System.Globalization;
using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;

namespace ReviewPortal.Web.Tests;

/// <summary>
/// Text built to break storage and parsers (NUL, unpaired surrogates, control characters, very long lines), and a way
/// to put it into a JSON body exactly: System.Text.Json would write an unpaired surrogate as U+FFFD, so the value is
/// escaped by hand and replaces a placeholder.
/// </summary>
internal static class HostileText
{
    /// <summary>Stands for the hostile value in a body serialized the usual way.</summary>
    public const string Placeholder = "\u2603hostile\u2603";

    private static readonly string[] Pieces =
    [
        "\0", "\ud800", "\udbff", "\udc00", "\udfff", "\u0001", "\u0008", "\u001b", "\u007f", "\u0085", "\u200b", "\ufeff", "\uffff",
        "\r\n", "\t", "😀", "a\0b", "src/app.cs", "..", "/", "\\", "\"", "<script>", "plain text", " ",
    ];

    /// <summary>Mostly short mixes of the pieces above; sometimes one line of 5,000 to 200,000 characters.</summary>
    public static Gen<string> Strings { get; } = Gen.Frequency(
        (8, Gen.Choose(1, 6).SelectMany(n => Gen.Elements(Pieces).ArrayOf(n)).Select(string.Concat)),
        (1, Gen.Choose(5_000, 200_000).SelectMany(length => Gen.Elements(Pieces).Select(piece => piece + new string('x', length) + piece))));

    /// <summary><paramref name="json"/> with the (serialized) placeholder replaced by <paramref name="value"/> as a JSON string.</summary>
    public static string Inject(string json, string value)
    {
        ArgumentNullException.ThrowIfNull(json);
        var placeholder = JsonSerializer.Serialize(Placeholder);
        Assert.Contains(placeholder, json, StringComparison.Ordinal);
        return json.Replace(placeholder, Literal(value), StringComparison.Ordinal);
    }

    /// <summary>A JSON string literal of exactly these UTF-16 code units.</summary>
    public static string Literal(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var literal = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            if (c < ' ' || c == '"' || c == '\\' || char.IsSurrogate(c) || c > '~')
            {
                literal.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                literal.Append(c);
            }
        }

        return literal.Append('"').ToString();
    }

    /// <summary>Whether PostgreSQL could not store the value as text: a NUL or an unpaired surrogate.</summary>
    public static bool IsUnstorable(string value) =>
        value.Contains('\0', StringComparison.Ordinal) || value.Select((c, i) => char.IsHighSurrogate(c)
            ? i + 1 >= value.Length || !char.IsLowSurrogate(value[i + 1])
            : char.IsLowSurrogate(c) && (i == 0 || !char.IsHighSurrogate(value[i - 1]))).Any(bad => bad);
}
