using System.Buffers;
using System.Text.RegularExpressions;
using ReviewPortal.Domain.Diff;
using ReviewPortal.Domain.Risk;

namespace ReviewPortal.Domain.AgentHabits;

/// <summary>
/// The paths a prompt names, read from its words: a word with a <c>/</c> (a path or a folder such as
/// <c>src/Auth/</c>), or a file name with a known source extension. Prompts are often Markdown or HTML: its
/// markers (tags such as <c>&lt;br/&gt;</c>, emphasis, link brackets, code backticks) separate words and are never
/// part of one, so <c>`src/Auth/Login.cs`</c> and <c>[see](docs/README.md)</c> name their paths and <c>&lt;/a&gt;</c>
/// names none. URLs and a few product names that look like file names (<c>Node.js</c>) are not paths. A changed
/// file is in scope when a named path is a prefix of it, or names its file or one of its folders; a named path
/// with <c>*</c> is matched as a glob.
/// </summary>
public sealed partial class PromptScope
{
    private static readonly HashSet<string> KnownExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        "cs", "csproj", "fs", "fsproj", "vb", "razor", "cshtml", "sln", "slnx", "props", "targets", "ts", "tsx", "js", "jsx", "mjs",
        "cjs", "vue", "svelte", "py", "go", "rs", "java", "kt", "kts", "scala", "rb", "php", "swift", "m", "c", "h", "cpp", "hpp",
        "cc", "sql", "json", "yaml", "yml", "toml", "xml", "ini", "cfg", "config", "md", "txt", "html", "htm", "css", "scss",
        "less", "sh", "ps1", "bat", "gradle", "proto", "graphql", "tf", "lock", "env", "editorconfig", "dockerfile",
    };

    /// <summary>Names that end like file names but are products people mention in prompts.</summary>
    private static readonly HashSet<string> ProductNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "node.js", "vue.js", "next.js", "nuxt.js", "react.js", "express.js", "three.js", "d3.js", "chart.js", "nest.js", "deno.js",
    };

    /// <summary>Words with a slash that are prose, not paths.</summary>
    private static readonly HashSet<string> ProseWithSlashes = new(StringComparer.OrdinalIgnoreCase)
    {
        "and/or", "either/or", "n/a", "w/o", "w/", "i/o", "client/server", "read/write", "input/output", "yes/no", "on/off", "true/false",
    };

    /// <summary>Characters that end a word: whitespace, and the quoting and markup of prose, Markdown and HTML.</summary>
    private static readonly SearchValues<char> WordBreaks = SearchValues.Create("`\"'()[]<>{},;|!?=");

    /// <summary>Emphasis markers (<c>**bold**</c>, <c>_italic_</c>, <c>~~struck~~</c>) around a word.</summary>
    private static readonly char[] EmphasisMarkers = ['*', '_', '~'];

    private readonly IReadOnlyList<string> _paths;

    private PromptScope(IReadOnlyList<string> paths) => _paths = paths;

    /// <summary>The paths the prompt names, normalized (forward slashes, no leading <c>./</c> or <c>/</c>), in order of mention.</summary>
    public IReadOnlyList<string> Paths => _paths;

    /// <summary>Whether the prompt names any path; without one there is no scope to leave.</summary>
    public bool NamesPaths => _paths.Count > 0;

    public static PromptScope Parse(string? prompt)
    {
        if (string.IsNullOrWhiteSpace(prompt))
        {
            return new PromptScope([]);
        }

        // A tag's name and brackets are markup; its attribute values (href="src/x.cs") are text like any other.
        var text = HtmlTagRegex().Replace(prompt, tag => " " + tag.Groups["attributes"].Value + " ");
        text = UrlRegex().Replace(text, " ");
        var paths = new List<string>();
        for (var start = 0; start < text.Length;)
        {
            var end = start;
            while (end < text.Length && !char.IsWhiteSpace(text[end]) && !WordBreaks.Contains(text[end]))
            {
                end++;
            }

            var token = Normalize(text[start..end]);
            if (IsPath(token) && !paths.Contains(token, StringComparer.OrdinalIgnoreCase))
            {
                paths.Add(token);
            }

            start = end + 1;
        }

        return new PromptScope(paths);
    }

    private static string Normalize(string word)
    {
        // Keep '*' (globs) and a trailing '/' (folders); strip the punctuation that ends a sentence.
        var token = StripEmphasis(word.Trim(':').TrimEnd('.')).Trim(':').TrimEnd('.').Replace('\\', '/');
        while (token.StartsWith("./", StringComparison.Ordinal))
        {
            token = token[2..];
        }

        return token.TrimStart('/');
    }

    /// <summary>
    /// Removes the same run of emphasis markers from both ends ("**src/A.cs**"), but not a glob's stars: a leading
    /// run followed by '/' or '.' ("**/*.sql", "*.cs") belongs to the glob, and so does a run at one end only.
    /// </summary>
    private static string StripEmphasis(string word)
    {
        var lead = word.Length - word.TrimStart(EmphasisMarkers).Length;
        var trail = word.Length - word.TrimEnd(EmphasisMarkers).Length;
        if (lead == 0 || trail == 0 || lead == word.Length)
        {
            return word;
        }

        var run = Math.Min(lead, trail);
        if (word[..run] != word[^run..] || word[run] is '/' or '.')
        {
            return word;
        }

        return word[run..^run];
    }

    /// <summary>
    /// Changed files that none of the named paths covers. When the prompt names no path, nothing is out of
    /// scope: a prompt such as "fix the flaky login" gives no scope to compare with, and guessing one would
    /// only produce noise.
    /// </summary>
    public IEnumerable<AgentFinding> FindOutOfScope(IReadOnlyList<FileLineChanges> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        if (!NamesPaths)
        {
            return [];
        }

        return files
            .Where(f => !Covers(f.Path))
            .Select(f => new AgentFinding(AgentFindingKind.OutOfScope, f.Path, null, "not among the paths the prompt names: " + string.Join(", ", _paths.Take(5))));
    }

    public bool Covers(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var normalized = path.Replace('\\', '/').TrimStart('/');
        var segments = normalized.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return _paths.Any(named => Covers(named, normalized, segments));
    }

    private static bool Covers(string named, string path, string[] segments)
    {
        if (named.Contains('*', StringComparison.Ordinal))
        {
            try
            {
                return new GlobPattern(named.Contains('/', StringComparison.Ordinal) ? named : "**/" + named).IsMatch(path);
            }
            catch (RegexMatchTimeoutException)
            {
                // A pathological glob in a prompt covers nothing rather than failing the whole evaluation.
                return false;
            }
        }

        var folder = named.TrimEnd('/');
        if (folder.Length == 0)
        {
            return false;
        }

        // A prefix of the path ("src/Auth" covers "src/Auth/Login.cs"), or a path that ends or contains it
        // at segment boundaries ("Auth/Login.cs", "Auth/" anywhere), or simply the file's name.
        var withSlashes = "/" + path + "/";
        return path.Equals(folder, StringComparison.OrdinalIgnoreCase)
               || withSlashes.Contains("/" + folder + "/", StringComparison.OrdinalIgnoreCase)
               || (!folder.Contains('/', StringComparison.Ordinal) && segments.Contains(folder, StringComparer.OrdinalIgnoreCase));
    }

    private static bool IsPath(string token)
    {
        if (!token.Any(char.IsLetterOrDigit) || token.Contains("://", StringComparison.Ordinal) || ProductNames.Contains(token))
        {
            return false;
        }

        if (token.Contains('/', StringComparison.Ordinal))
        {
            return !ProseWithSlashes.Contains(token);
        }

        var dot = token.LastIndexOf('.');
        return dot >= 0 && dot < token.Length - 1 && KnownExtensions.Contains(token[(dot + 1)..]) && FileNameRegex().IsMatch(token);
    }

    // These two run over the whole prompt (up to 100,000 characters). Backtracking, they were superlinear on a long run
    // of word characters (157 ms at 100,000, and past the 2 s match timeout on a busy machine, which failed the attach
    // that re-scored the change); NonBacktracking keeps them linear (2 ms).

    /// <summary>An HTML tag, opening, closing or self-closing, with its attributes apart.</summary>
    [GeneratedRegex(@"</?[A-Za-z][A-Za-z0-9-]*(?<attributes>\s[^<>]*)?/?>", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture | RegexOptions.NonBacktracking, matchTimeoutMilliseconds: RegexLimits.TimeoutMilliseconds)]
    private static partial Regex HtmlTagRegex();

    /// <summary>A URL up to the whitespace or markup that ends it: its path is a web page's, not the repository's.</summary>
    [GeneratedRegex(@"[A-Za-z][A-Za-z0-9+.-]*://[^\s<>()\[\]`""']*", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, matchTimeoutMilliseconds: RegexLimits.TimeoutMilliseconds)]
    private static partial Regex UrlRegex();

    [GeneratedRegex(@"^[\w.-]+$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: RegexLimits.TimeoutMilliseconds)]
    private static partial Regex FileNameRegex();
}
