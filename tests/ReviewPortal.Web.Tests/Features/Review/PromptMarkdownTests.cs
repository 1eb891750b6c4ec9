using ReviewPortal.Web.Features.Review;

namespace ReviewPortal.Web.Tests.Features.Review;

public sealed class PromptMarkdownTests
{
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
    [InlineData("[x](javascript:alert(1))")]
    [InlineData("[x](JavaScript:alert(1))")]
    [InlineData("[x](<java\tscript:alert(1)>)")]
    [InlineData("![x](data:text/html;base64,PHNjcmlwdD4=)")]
    [InlineData("[x](vbscript:msgbox)")]
    public void Links_with_script_schemes_lose_their_target(string prompt)
    {
        var html = PromptMarkdown.ToHtml(prompt);

        Assert.DoesNotContain("script:", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("data:", html, StringComparison.OrdinalIgnoreCase);
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
