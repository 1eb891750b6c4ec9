using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using ReviewPortal.Web.Features.Review;

namespace ReviewPortal.Web.Tests.Features.Review;

/// <summary>
/// Prompts full of links with obfuscated script schemes: whatever the mix, the rendered prompt has no link or
/// image a browser would resolve to a scheme other than http(s), mailto or a relative one, and each unsafe link or
/// image is shown with its marker.
/// </summary>
[Trait("Category", "BadInput")]
public sealed class PromptMarkdownProperties
{
    private static readonly Config Checks = Config.QuickThrowOnFailure.WithMaxTest(300);

    private static readonly string[] UnsafeSchemes = ["javascript", "vbscript", "data", "livescript", "file", "ftp", "blob"];

    private static readonly string[] SafeTargets = ["https://example.test/spec", "http://example.test", "mailto:dana@acme.test", "src/Auth/Login.cs", "../docs/README.md", "#goal", "?tab=files", "/changes/1"];

    /// <summary>A character of a scheme, in either case and sometimes hidden behind an entity, or preceded by an entity-encoded tab or newline.</summary>
    private static Gen<string> Obfuscated(char c) => Gen.Elements(
        c.ToString(), char.ToUpperInvariant(c).ToString(), char.ToUpperInvariant(c).ToString(),
        $"&#{(int)c};", $"&#x{(int)c:x};", "&#x09;" + c, "&#10;" + c, "&Tab;" + c, "&NewLine;" + c);

    private static Gen<string> UnsafeTarget(bool plain) =>
        from scheme in Gen.Elements(UnsafeSchemes)
        from letters in plain
            ? Gen.ArrayOf(Gen.Elements(false, true), scheme.Length).Select(upper => scheme.Select((c, i) => upper[i] ? char.ToUpperInvariant(c).ToString() : c.ToString()).ToArray())
            : Gen.CollectToArray(scheme, Obfuscated)
        from colon in plain ? Gen.Constant(":") : Gen.Elements(":", "&#58;", "&colon;")
        from rest in Gen.Elements("alert(1)", "text/html;base64,PHNjcmlwdD4=", "//evil.test/x", "msgbox")
        select string.Concat(letters) + colon + rest;

    /// <summary>One link, image or autolink and whether its target is unsafe; every form here is always parsed as a link.</summary>
    private static Gen<(string Markdown, string? Definition, bool Unsafe)> Piece(int index) =>
        from isUnsafe in Gen.Elements(true, false)
        from form in Gen.Choose(0, 4)
        from target in isUnsafe ? UnsafeTarget(plain: form == 4) : Gen.Elements(SafeTargets)
        from leading in Gen.Elements("", " ", "  ")
        let text = "text" + index.ToString(CultureInfo.InvariantCulture)
        let label = "ref" + index.ToString(CultureInfo.InvariantCulture)
        select form switch
        {
            0 => ($"[{text}]({leading}{target})", (string?)null, isUnsafe),
            1 => ($"[{text}](<{target}>)", null, isUnsafe),
            2 => ($"![{text}]({leading}{target})", null, isUnsafe),
            3 => ($"[{text}][{label}]", $"[{label}]: {target}", isUnsafe),
            // An autolink must have a plain scheme and no spaces, and a safe relative target is no autolink at all.
            _ when isUnsafe || target.Contains(':', StringComparison.Ordinal) => ($"<{target}>", null, isUnsafe),
            _ => ($"[{text}]({target})", null, isUnsafe),
        };

    private static Gen<List<(string Markdown, string? Definition, bool Unsafe)>> Pieces() =>
        Gen.Choose(1, 6).SelectMany(n => Gen.CollectToList(Enumerable.Range(0, n), Piece));

    private static string Document(IEnumerable<(string Markdown, string? Definition, bool Unsafe)> pieces, string filler)
    {
        var list = pieces.ToList();
        var text = new StringBuilder();
        text.AppendJoin($" {filler} ", list.Select(p => p.Markdown));
        foreach (var definition in list.Select(p => p.Definition).OfType<string>())
        {
            text.Append("\n\n").Append(definition);
        }

        return text.ToString();
    }

    /// <summary>
    /// The scheme a browser reads from an attribute value (the URL standard: leading and trailing C0 controls and
    /// spaces stripped, tabs and newlines removed, then a letter followed by letters, digits, '+', '-', '.' and a
    /// colon), or null for a relative URL.
    /// </summary>
    private static string? BrowserScheme(string value)
    {
        var trimmed = value.Trim(Enumerable.Range(0, 0x21).Select(c => (char)c).ToArray()).Replace("\t", "", StringComparison.Ordinal)
            .Replace("\n", "", StringComparison.Ordinal).Replace("\r", "", StringComparison.Ordinal);
        var colon = trimmed.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && char.IsAsciiLetter(trimmed[0]) && trimmed[..colon].All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.')
            ? trimmed[..colon].ToLowerInvariant()
            : null;
    }

    private static bool AllTargetsSafe(string html) =>
        PromptMarkdownTests.Parse(html).QuerySelectorAll("[href], [src]")
            .SelectMany(e => new[] { e.GetAttribute("href"), e.GetAttribute("src") })
            .OfType<string>()
            .All(value => BrowserScheme(value) is null or "http" or "https" or "mailto");

    [Fact]
    public void No_link_or_image_in_the_output_has_a_scheme_other_than_http_https_mailto_or_none() =>
        Check.One(Checks, Prop.ForAll(Pieces().ToArbitrary(), ArbMap.Default.ArbFor<NonNull<string>>(), (pieces, noise) =>
        {
            var html = PromptMarkdown.ToHtml(Document(pieces, noise.Get));
            return AllTargetsSafe(html).Label(html);
        }));

    [Fact]
    public void Every_unsafe_link_or_image_has_its_marker_and_every_safe_one_stays_a_link() =>
        Check.One(Checks, Prop.ForAll(Pieces().ToArbitrary(), pieces =>
        {
            var html = PromptMarkdown.ToHtml(Document(pieces, "and"));
            var document = PromptMarkdownTests.Parse(html);
            var markers = document.QuerySelectorAll("[data-testid=unsafe-link] .unsafe-link-marker").Length;
            var links = document.QuerySelectorAll("a[href], img[src]").Length;
            return (markers == pieces.Count(p => p.Unsafe) && links == pieces.Count(p => !p.Unsafe) && AllTargetsSafe(html)).Label(html);
        }));
}
