using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using ReviewPortal.Web.Features.Review;

namespace ReviewPortal.Web.Tests.Features.Review;

public sealed class PromptMarkdownTests
{
    internal static IDocument Parse(string html) => new HtmlParser().ParseDocument($"<html><body>{html}</body></html>");

    [Fact]
    public void Markdown_is_rendered()
    {
        var html = PromptMarkdown.ToHtml("# Goal\n\nUse `TimeSpan` in **all** places:\n\n- one\n- two\n");

        Assert.Contains("<h1", html, StringComparison.Ordinal);
        Assert.Contains("<code>TimeSpan</code>", html, StringComparison.Ordinal);
        Assert.Contains("<strong>all</strong>", html, StringComparison.Ordinal);
        Assert.Contains("<li>two</li>", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("Inline <img src=x onerror=alert(1)> html")]
    [InlineData("<div onclick=\"steal()\">block</div>")]
    public void Raw_html_is_shown_as_text(string prompt)
    {
        var html = PromptMarkdown.ToHtml(prompt);

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<div", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[run me](javascript:alert(1))", "run me", "javascript:alert(1)")]
    [InlineData("[run me](JaVaScRiPt:alert(1))", "run me", "JaVaScRiPt:alert(1)")]
    [InlineData("[run me](   javascript:alert(1))", "run me", "javascript:alert(1)")]
    [InlineData("[run me](java&#x09;script:alert(1))", "run me", "java\\u0009script:alert(1)")]
    [InlineData("[run me](<java&#x0A;script:alert(1)>)", "run me", "java\\u000Ascript:alert(1)")]
    [InlineData("[run me](<java\tscript:alert(1)>)", "run me", "java\\u0009script:alert(1)")]
    [InlineData("[run me](&#106;avascript:alert(1))", "run me", "javascript:alert(1)")]
    [InlineData("[run me](vbscript:msgbox)", "run me", "vbscript:msgbox")]
    [InlineData("[run me](data:text/html;base64,PHNjcmlwdD4=)", "run me", "data:text/html;base64,PHNjcmlwdD4=")]
    [InlineData("[run me][ref]\n\n[ref]: javascript:alert(1)", "run me", "javascript:alert(1)")]
    [InlineData("<javascript:alert(1)>", null, "javascript:alert(1)")]
    [Trait("Category", "BadInput")]
    public void A_link_with_an_unsafe_target_is_shown_as_its_text_and_target_with_a_marker(string prompt, string? text, string target)
    {
        var document = Parse(PromptMarkdown.ToHtml(prompt));

        Assert.Empty(document.QuerySelectorAll("a, img"));
        var unsafeLink = Assert.Single(document.QuerySelectorAll("[data-testid=unsafe-link]"));
        Assert.Equal(target, unsafeLink.QuerySelector("code.unsafe-link-target")?.TextContent);
        Assert.Equal($"({PromptMarkdown.UnsafeLinkMarker})", unsafeLink.QuerySelector(".unsafe-link-marker")?.TextContent);
        if (text is not null)
        {
            Assert.StartsWith(text + " ", unsafeLink.TextContent, StringComparison.Ordinal);
        }
    }

    [Fact]
    [Trait("Category", "BadInput")]
    public void An_image_with_an_unsafe_source_is_shown_as_its_alt_text_and_source_with_a_marker()
    {
        var document = Parse(PromptMarkdown.ToHtml("See ![the *logo*](data:image/svg+xml;base64,PHN2Zz4=) here."));

        Assert.Empty(document.QuerySelectorAll("img, a"));
        var unsafeImage = Assert.Single(document.QuerySelectorAll("[data-testid=unsafe-link]"));
        Assert.Equal("logo", unsafeImage.QuerySelector("em")?.TextContent);
        Assert.Equal("data:image/svg+xml;base64,PHN2Zz4=", unsafeImage.QuerySelector("code")?.TextContent);
        Assert.Equal($"({PromptMarkdown.UnsafeImageMarker})", unsafeImage.QuerySelector(".unsafe-link-marker")?.TextContent);
    }

    [Fact]
    [Trait("Category", "BadInput")]
    public void A_safe_link_around_an_unsafe_image_keeps_its_target_and_loses_only_the_image()
    {
        var document = Parse(PromptMarkdown.ToHtml("[![badge](javascript:alert(1))](https://example.test/ci)"));

        var link = Assert.Single(document.QuerySelectorAll("a"));
        Assert.Equal("https://example.test/ci", link.GetAttribute("href"));
        Assert.Empty(document.QuerySelectorAll("img"));
        Assert.Equal($"({PromptMarkdown.UnsafeImageMarker})", link.QuerySelector(".unsafe-link-marker")?.TextContent);
    }

    [Theory]
    [InlineData("[spec](https://example.test/spec)", "https://example.test/spec")]
    [InlineData("[mail](mailto:dana@acme.test)", "mailto:dana@acme.test")]
    [InlineData("[file](src/Auth/TokenService.cs)", "src/Auth/TokenService.cs")]
    public void Safe_links_keep_their_target(string prompt, string href)
    {
        Assert.Contains($"href=\"{href}\"", PromptMarkdown.ToHtml(prompt), StringComparison.Ordinal);
    }
}
