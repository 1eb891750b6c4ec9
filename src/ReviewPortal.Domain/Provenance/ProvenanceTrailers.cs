using System.Text;
using System.Text.RegularExpressions;

namespace ReviewPortal.Domain.Provenance;

/// <summary>
/// Provenance carried as git-style trailers in a PR/MR description (<c>Agent-Session: sess_123</c>).
/// <para>
/// Where they are recognised: in any paragraph (lines between blank lines) that consists only of trailer lines,
/// not just the last paragraph as git does. PR descriptions are edited by templates and bots that append
/// checklists after the trailers, so "last paragraph only" would lose them; requiring the whole paragraph to be
/// trailers keeps prose such as "Model: see below, we changed it" inside a sentence paragraph from counting.
/// Lines inside fenced code blocks (``` or ~~~) are never trailers, since examples of trailers live there.
/// Keys ignore case, values are trimmed, an indented line continues the previous value (as in git), empty
/// values are ignored, and when a key occurs more than once the last occurrence wins.
/// </para>
/// </summary>
public sealed partial record ProvenanceTrailers(
    string? AgentSession = null,
    string? Model = null,
    string? Prompter = null,
    string? AgentTool = null,
    string? ModelParamsHash = null)
{
    public const string AgentSessionKey = "Agent-Session";
    public const string ModelKey = "Model";
    public const string PrompterKey = "Prompter";
    public const string AgentToolKey = "Agent-Tool";
    public const string ModelParamsHashKey = "Model-Params-Hash";

    /// <summary>Longer descriptions are read only this far: trailers belong near the text, not after megabytes.</summary>
    public const int MaximumDescriptionLength = 1 << 20;

    public static ProvenanceTrailers Empty { get; } = new();

    /// <summary>Whether any recognised trailer was present: carrying one makes a change agent-authored.</summary>
    public bool IsEmpty => this == Empty;

    /// <summary>The recognised trailers of a description; never throws, and null or empty text gives <see cref="Empty"/>.</summary>
    public static ProvenanceTrailers Parse(string? description)
    {
        if (string.IsNullOrEmpty(description))
        {
            return Empty;
        }

        var text = description.Length > MaximumDescriptionLength ? description[..MaximumDescriptionLength] : description;
        var result = Empty;
        foreach (var paragraph in TrailerParagraphs(text))
        {
            foreach (var (key, value) in paragraph.Where(t => t.Value.Length > 0))
            {
                result = With(result, key, value);
            }
        }

        return result;
    }

    /// <summary>The trailer block for these values, one line per present value, in a fixed order; line breaks in values become spaces.</summary>
    public string Format()
    {
        var text = new StringBuilder();
        foreach (var (key, value) in new[]
                 {
                     (AgentSessionKey, AgentSession), (ModelKey, Model), (PrompterKey, Prompter), (AgentToolKey, AgentTool), (ModelParamsHashKey, ModelParamsHash),
                 })
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                text.Append(key).Append(": ").Append(LineBreakRegex().Replace(value.Trim(), " ")).Append('\n');
            }
        }

        return text.ToString();
    }

    private static ProvenanceTrailers With(ProvenanceTrailers trailers, string key, string value) => key.ToUpperInvariant() switch
    {
        "AGENT-SESSION" => trailers with { AgentSession = value },
        "MODEL" => trailers with { Model = value },
        "PROMPTER" => trailers with { Prompter = value },
        "AGENT-TOOL" => trailers with { AgentTool = value },
        "MODEL-PARAMS-HASH" => trailers with { ModelParamsHash = value },
        _ => trailers,
    };

    /// <summary>The (key, value) lines of each paragraph that is made only of trailer lines, outside code fences.</summary>
    private static IEnumerable<List<(string Key, string Value)>> TrailerParagraphs(string text)
    {
        string? fence = null;
        List<(string Key, string Value)>? paragraph = [];
        foreach (var line in LineBreakRegex().Split(text))
        {
            if (fence is not null)
            {
                // Inside a fence until a line that closes it: the same character, at least as long.
                var closing = FenceRegex().Match(line);
                if (closing.Success && closing.Groups["fence"].Value[0] == fence[0] && closing.Groups["fence"].Length >= fence.Length && closing.Groups["info"].Value.Trim().Length == 0)
                {
                    fence = null;
                }

                continue;
            }

            if (FenceRegex().Match(line) is { Success: true } opening)
            {
                fence = opening.Groups["fence"].Value;
                if (paragraph is { Count: > 0 })
                {
                    yield return paragraph;
                }

                paragraph = [];
                continue;
            }

            if (string.IsNullOrWhiteSpace(line))
            {
                if (paragraph is { Count: > 0 })
                {
                    yield return paragraph;
                }

                paragraph = [];
                continue;
            }

            if (paragraph is null)
            {
                continue; // this paragraph already had a line that is no trailer
            }

            if (char.IsWhiteSpace(line[0]) && paragraph.Count > 0)
            {
                var (key, value) = paragraph[^1];
                paragraph[^1] = (key, (value + " " + line.Trim()).Trim());
            }
            else if (TrailerRegex().Match(line) is { Success: true } trailer)
            {
                paragraph.Add((trailer.Groups["key"].Value, trailer.Groups["value"].Value.Trim()));
            }
            else
            {
                paragraph = null;
            }
        }

        if (paragraph is { Count: > 0 })
        {
            yield return paragraph;
        }
    }

    [GeneratedRegex(@"^(?<key>[A-Za-z0-9][A-Za-z0-9-]*)[ \t]*:(?<value>.*)$", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, matchTimeoutMilliseconds: RegexLimits.TimeoutMilliseconds)]
    private static partial Regex TrailerRegex();

    [GeneratedRegex(@"^ {0,3}(?<fence>`{3,}|~{3,})(?<info>.*)$", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, matchTimeoutMilliseconds: RegexLimits.TimeoutMilliseconds)]
    private static partial Regex FenceRegex();

    [GeneratedRegex(@"\r\n|\r|\n", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: RegexLimits.TimeoutMilliseconds)]
    private static partial Regex LineBreakRegex();
}
