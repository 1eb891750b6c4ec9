using System.Globalization;
using System.Text;
using Markdig;
using Markdig.Renderers;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace ReviewPortal.Web.Features.Review;

/// <summary>
/// Renders an agent's prompt as Markdown for the review page. The prompt is untrusted text: raw HTML is shown as
/// text (Markdig's DisableHtml), and a link or image whose target has a scheme other than http(s) or mailto is
/// shown as text with a visible marker instead of a link: the reviewer sees its text and its target, which is
/// what the agent was fed, and there is nothing to click or load.
/// </summary>
public static class PromptMarkdown
{
    public const string UnsafeLinkMarker = "unsafe link removed";

    public const string UnsafeImageMarker = "unsafe image removed";

    private static readonly MarkdownPipeline Pipeline = BuildPipeline();

    public static string ToHtml(string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        return Markdown.ToHtml(markdown, Pipeline);
    }

    private static MarkdownPipeline BuildPipeline()
    {
        var builder = new MarkdownPipelineBuilder()
            .UsePipeTables()
            .UseEmphasisExtras()
            .UseTaskLists()
            .UseAutoLinks()
            .DisableHtml();
        builder.Extensions.Add(new UnsafeLinkExtension());
        builder.DocumentProcessed += NeutraliseUnsafeLinks;
        return builder.Build();
    }

    /// <summary>Every link, image and autolink with an unsafe target becomes an <see cref="UnsafeLinkInline"/> (outer ones first, so nested images follow their new parent).</summary>
    private static void NeutraliseUnsafeLinks(MarkdownDocument document)
    {
        foreach (var link in document.Descendants<LinkInline>().ToList())
        {
            if (!IsSafe(link.Url))
            {
                link.ReplaceBy(new UnsafeLinkInline(link.Url ?? "", link.IsImage), copyChildren: true);
            }
        }

        foreach (var autolink in document.Descendants<AutolinkInline>().ToList())
        {
            if (!autolink.IsEmail && !IsSafe(autolink.Url))
            {
                autolink.ReplaceBy(new UnsafeLinkInline(autolink.Url, image: false));
            }
        }
    }

    /// <summary>Whether a browser would treat the target as http(s), mailto, or relative to the page.</summary>
    private static bool IsSafe(string? url)
    {
        if (string.IsNullOrEmpty(url))
        {
            return true;
        }

        // Browsers drop whitespace and control characters inside a scheme ("java\tscript:"), so the check does too.
        var compact = new string(url.Where(c => c > ' ').ToArray());
        var colon = compact.IndexOf(':', StringComparison.Ordinal);
        var pathStart = compact.IndexOfAny(['/', '?', '#']);
        if (colon < 0 || (pathStart >= 0 && pathStart < colon))
        {
            return true;
        }

        var scheme = compact[..colon].ToLowerInvariant();
        return scheme is "http" or "https" or "mailto";
    }

    /// <summary>A target as text, with the control characters that hide a scheme ("java&amp;#x09;script:") written out.</summary>
    private static string Visible(string target)
    {
        var text = new StringBuilder(target.Length);
        foreach (var c in target)
        {
            if (char.IsControl(c))
            {
                text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
            else
            {
                text.Append(c);
            }
        }

        return text.ToString();
    }

    /// <summary>A neutralised link or image: its text (the alt text of an image) stays as inline content.</summary>
    private sealed class UnsafeLinkInline(string target, bool image) : ContainerInline
    {
        public string Target { get; } = target;

        public bool IsImage { get; } = image;
    }

    private sealed class UnsafeLinkRenderer : HtmlObjectRenderer<UnsafeLinkInline>
    {
        protected override void Write(HtmlRenderer renderer, UnsafeLinkInline obj)
        {
            renderer.Write("<span class=\"unsafe-link\" data-testid=\"unsafe-link\">");
            if (obj.FirstChild is not null)
            {
                renderer.WriteChildren(obj);
                renderer.Write(' ');
            }

            renderer.Write("<code class=\"unsafe-link-target\">").WriteEscape(Visible(obj.Target)).Write("</code> ");
            renderer.Write("<span class=\"unsafe-link-marker\">(").Write(obj.IsImage ? UnsafeImageMarker : UnsafeLinkMarker).Write(")</span></span>");
        }
    }

    private sealed class UnsafeLinkExtension : IMarkdownExtension
    {
        public void Setup(MarkdownPipelineBuilder pipeline)
        {
        }

        public void Setup(MarkdownPipeline pipeline, IMarkdownRenderer renderer)
        {
            if (renderer is HtmlRenderer html && !html.ObjectRenderers.Contains<UnsafeLinkRenderer>())
            {
                html.ObjectRenderers.Insert(0, new UnsafeLinkRenderer());
            }
        }
    }
}
