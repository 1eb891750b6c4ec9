using FsCheck;
using FsCheck.Fluent;
using ReviewPortal.Domain.AgentHabits;

namespace ReviewPortal.Domain.Tests.AgentHabits;

/// <summary>
/// Prompts mixing paths with Markdown and HTML: the scope holds exactly the paths, wherever the markup puts them,
/// and nothing it returns carries a marker.
/// </summary>
[Trait("Category", "BadInput")]
public sealed class PromptScopeProperties
{
    private static readonly Config Checks = Config.QuickThrowOnFailure.WithMaxTest(300);

    /// <summary>Markup around a word, as prompts written in Markdown or HTML have it.</summary>
    private static readonly string[] Wrappers =
    [
        "{0}", "**{0}**", "*{0}*", "_{0}_", "__{0}__", "~~{0}~~", "`{0}`", "```\n{0}\n```", "<b>{0}</b>", "<code>{0}</code>",
        "<li>{0}</li>", "[{0}](https://example.test/a/b)", "[see]({0})", "[{0}]({0})", "<a href=\"{0}\">link</a>", "\"{0}\"",
        "'{0}'", "({0})", "{0}.", "{0},", "{0}:", "{0};", "{0}!", "{0}?", "- {0}", "> {0}", "| {0} |", "# {0}", "./{0}", "<p>{0}<br/>",
    ];

    /// <summary>Markup and prose with no path in it.</summary>
    private static readonly string[] Noise =
    [
        "<div>", "</div>", "</a>", "<br/>", "<br />", "<hr>", "<img src=x onerror=alert(1)>", "**bold**", "_italic_", "~~gone~~", "`code`",
        "[link](http://x)", "[docs](https://example.test/docs/guide.md)", "https://github.com/acme/app/issues/3", "*/", "/*", "//", "**",
        "and/or", "n/a", "Node.js", "version 1.2.3", "- [ ] task", "- [x] done", "|---|---|", "> quote", "# Heading", "&lt;div&gt;", "\n\n",
        "fix the flaky test", "<!-- note -->", "<script>alert(1)</script>",
    ];

    private static Gen<string> Segment() =>
        from first in Gen.Elements("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".ToCharArray())
        from rest in Gen.Choose(0, 8).SelectMany(n => Gen.ArrayOf(Gen.Elements("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_".ToCharArray()), n))
        from last in Gen.Elements("abcdefghijklmnopqrstuvwxyz0123456789".ToCharArray())
        select first + new string(rest) + last;

    /// <summary>A relative path: folders and a file with a known extension, or a folder ending in '/'.</summary>
    private static Gen<string> Path() =>
        from folders in Gen.Choose(1, 3).SelectMany(n => Gen.ArrayOf(Segment(), n))
        from file in Gen.OneOf(
            Gen.Elements(".cs", ".md", ".ts", ".sql", ".json", ".yml").SelectMany(ext => Segment().Select(name => "/" + name + ext)),
            Gen.Constant("/"))
        select string.Join('/', folders) + file;

    private static Gen<(string Prompt, List<string> Paths)> Prompts() =>
        from count in Gen.Choose(1, 5)
        from paths in Gen.ArrayOf(Path(), count)
        from wrappers in Gen.ArrayOf(Gen.Elements(Wrappers), count)
        from noise in Gen.ArrayOf(Gen.Elements(Noise), count + 1)
        select (
            noise[0] + string.Concat(paths.Select((p, i) => " " + string.Format(System.Globalization.CultureInfo.InvariantCulture, wrappers[i], p) + " " + noise[i + 1])),
            paths.Distinct(StringComparer.OrdinalIgnoreCase).ToList());

    /// <summary>A token a reader would call a path: no whitespace and no character of markup or quoting.</summary>
    private static bool IsPathLike(string token) =>
        token.Length > 0
        && token.Any(char.IsLetterOrDigit)
        && !token.Any(c => char.IsWhiteSpace(c) || "<>`[](){}\"'|!?,;=".Contains(c, StringComparison.Ordinal))
        && !token.Contains("://", StringComparison.Ordinal)
        && !token.StartsWith('/')
        && !token.StartsWith("./", StringComparison.Ordinal);

    [Fact]
    public void The_scope_is_exactly_the_paths_however_they_are_marked_up() =>
        Check.One(Checks, Prop.ForAll(Prompts().ToArbitrary(), example =>
        {
            var found = PromptScope.Parse(example.Prompt).Paths;
            return found.SequenceEqual(example.Paths, StringComparer.OrdinalIgnoreCase).Label($"{example.Prompt}\n=> {string.Join(" | ", found)}");
        }));

    [Fact]
    public void Every_token_is_path_like_whatever_the_text() =>
        Check.One(Checks, Prop.ForAll(
            Gen.OneOf(Prompts().Select(p => p.Prompt), ArbMap.Default.GeneratorFor<NonNull<string>>().Select(s => s.Get)).ToArbitrary(),
            prompt =>
            {
                var found = PromptScope.Parse(prompt).Paths;
                return found.All(IsPathLike).Label(string.Join(" | ", found));
            }));
}
