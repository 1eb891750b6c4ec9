using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using DiffPlex;
using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;
using ReviewPortal.Domain.Diff;

namespace ReviewPortal.Benchmarks;

/// <summary>
/// Suite <c>diff</c>: plain DiffPlex (its side-by-side builder, which also computes the word-level pieces of
/// modified lines) against the portal's diff (<see cref="FileDiff.Compute(string, string)"/>: lines and word-level
/// changes, from the two file texts, nothing cached) on deterministic source-like files: 10,000 lines at 1%, 20% and
/// 100% changed, and a 20,000-line file rewritten. Each engine is warmed up on each input, then timed; every result
/// is checked (the portal's edit script applied to the old file gives the new file, word spans lie inside their
/// lines; DiffPlex's new side reads back as the new file). The +/- line counts and hunks of both engines and of
/// <c>git diff --no-index</c> on the same files show how the diffs compare.
/// </summary>
public static class DiffSuite
{
    public const double Max20PercentMs = 50;
    public const double MaxRewriteMs = 200;

    public static Dictionary<string, object?> Run(int diffPlexRuns, int portalRuns, int warmUps)
    {
        var figures = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["suite"] = "diff",
            ["inputs"] = "seeded C#-like files (braces, blank lines and common statements repeat); edits in clustered hunks of modified, deleted and inserted lines; the rewrite is a second file from another seed",
            ["portal"] = "FileDiff.Compute(oldText, newText): lines split, line diff, pairing and word-level changes, no cache",
            ["diffplex"] = "new SideBySideDiffBuilder(new Differ()).BuildDiffModel(oldText, newText, ignoreWhitespace: false), DiffPlex 1.4.4: whitespace counts, as in the portal",
            ["load_average_at_start"] = LoadAverage(),
        };
        var correct = true;
        var cases = new (string Key, Func<(List<string> Old, List<string> New)> Make)[]
        {
            ("10k_1pct", () => Edited(10_000, 0.01)),
            ("10k_20pct", () => Edited(10_000, 0.20)),
            ("10k_100pct", () => Edited(10_000, 1.0)),
            ("20k_rewrite", () => (new SourceLikeText(1).File(20_000), new SourceLikeText(2).File(20_000))),
        };
        foreach (var (key, make) in cases)
        {
            var (old, @new) = make();
            var oldText = SourceLikeText.Join(old);
            var newText = SourceLikeText.Join(@new);
            figures[$"{key}_old_lines"] = old.Count;
            figures[$"{key}_new_lines"] = @new.Count;

            Console.Error.WriteLine($"diff: {key}: portal, {warmUps} warm-up and {portalRuns} measured runs ...");
            var portal = Measure(warmUps, portalRuns, () => FileDiff.Compute(oldText, newText), diff => PortalIsCorrect(old, @new, diff));
            // DiffPlex takes seconds on the large rewrites; where it is quick, it gets as many runs as the portal.
            var runs = key is "10k_1pct" or "10k_20pct" ? portalRuns : diffPlexRuns;
            Console.Error.WriteLine($"diff: {key}: DiffPlex, {warmUps} warm-up and {runs} measured runs ...");
            var diffPlex = Measure(warmUps, runs, () => new SideBySideDiffBuilder(new Differ()).BuildDiffModel(oldText, newText, ignoreWhitespace: false), model => DiffPlexIsCorrect(newText, model));
            correct &= portal.Correct && diffPlex.Correct;

            Add(figures, "portal", key, portal);
            Add(figures, "diffplex", key, diffPlex);
            figures[$"speedup_{key}"] = Math.Round(diffPlex.MedianMs / portal.MedianMs, 1);

            var diff = portal.Last;
            figures[$"portal_{key}_additions"] = diff.Additions;
            figures[$"portal_{key}_deletions"] = diff.Deletions;
            figures[$"portal_{key}_hunks"] = diff.Hunks().Count;
            figures[$"portal_{key}_modified_pairs"] = diff.ModifiedLines.Count;
            var model = diffPlex.Last;
            figures[$"diffplex_{key}_additions"] = model.NewText.Lines.Count(l => l.Type is ChangeType.Inserted or ChangeType.Modified);
            figures[$"diffplex_{key}_deletions"] = model.OldText.Lines.Count(l => l.Type is ChangeType.Deleted or ChangeType.Modified);
            foreach (var (name, value) in Git(key, oldText, newText))
            {
                figures[name] = value;
            }
        }

        figures["threshold_10k_20pct_ms"] = Max20PercentMs;
        figures["threshold_20k_rewrite_ms"] = MaxRewriteMs;
        var met = (double)figures["portal_10k_20pct_ms"]! <= Max20PercentMs && (double)figures["portal_20k_rewrite_ms"]! <= MaxRewriteMs;
        figures["thresholds_met"] = met;
        figures["correct"] = correct;
        figures["load_average_at_end"] = LoadAverage();
        figures["measured_at"] = DateTimeOffset.UtcNow.ToString("u", CultureInfo.InvariantCulture);
        return figures;
    }

    private static (List<string> Old, List<string> New) Edited(int lines, double fraction)
    {
        var text = new SourceLikeText(42);
        var old = text.File(lines);
        return (old, text.Edit(old, fraction));
    }

    private sealed record Measurement<T>(double MedianMs, double MinMs, double MaxMs, double? MedianCpuMs, int Runs, bool Correct, T Last);

    /// <summary>Warm-up runs, then timed runs each after a full collection, so no run pays for the garbage of the one before.</summary>
    private static Measurement<T> Measure<T>(int warmUps, int runs, Func<T> work, Func<T, bool> check)
    {
        var correct = true;
        for (var i = 0; i < warmUps; i++)
        {
            correct &= check(work());
        }

        var wall = new List<double>();
        var cpu = new List<double>();
        var last = default(T)!;
        for (var i = 0; i < runs; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var cpuStart = ThreadCpu.Milliseconds();
            var watch = Stopwatch.StartNew();
            last = work();
            watch.Stop();
            var cpuEnd = ThreadCpu.Milliseconds();
            wall.Add(watch.Elapsed.TotalMilliseconds);
            if (cpuStart is { } start && cpuEnd is { } end)
            {
                cpu.Add(end - start);
            }

            correct &= check(last);
        }

        return new Measurement<T>(Median(wall), Round(wall.Min()), Round(wall.Max()), cpu.Count == runs ? Median(cpu) : null, runs, correct, last);
    }

    private static void Add<T>(Dictionary<string, object?> figures, string engine, string key, Measurement<T> m)
    {
        figures[$"{engine}_{key}_ms"] = m.MedianMs;
        figures[$"{engine}_{key}_min_ms"] = m.MinMs;
        figures[$"{engine}_{key}_max_ms"] = m.MaxMs;
        figures[$"{engine}_{key}_cpu_ms"] = m.MedianCpuMs;
        figures[$"{engine}_{key}_runs"] = m.Runs;
        figures[$"{engine}_{key}_correct"] = m.Correct;
    }

    /// <summary>The portal's script rebuilds the new file, and its word spans lie inside their lines.</summary>
    private static bool PortalIsCorrect(List<string> old, List<string> @new, FileDiff diff) =>
        diff.OldLineCount == old.Count && diff.NewLineCount == @new.Count
        && LineDiffEngine.Apply(old, @new, diff.Edits).SequenceEqual(@new, StringComparer.Ordinal)
        && diff.ModifiedLines.All(m => m.OldChanged.All(s => s.Start >= 0 && s.End <= old[m.OldLine].Length)
                                       && m.NewChanged.All(s => s.Start >= 0 && s.End <= @new[m.NewLine].Length));

    /// <summary>
    /// DiffPlex's new side, without its padding rows, reads back as the new text. DiffPlex splits the text on every
    /// newline, so a final newline gives it one more, empty line than the file has (the portal's and git's view).
    /// </summary>
    private static bool DiffPlexIsCorrect(string newText, SideBySideDiffModel model) =>
        model.NewText.Lines.Where(l => l.Type != ChangeType.Imaginary).Select(l => l.Text).SequenceEqual(newText.Split('\n'), StringComparer.Ordinal);

    /// <summary>git's counts for the same files, with its default (Myers), histogram and minimal algorithms; nothing if git is not there.</summary>
    private static Dictionary<string, object?> Git(string key, string oldText, string newText)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        var folder = Directory.CreateTempSubdirectory("reviewportal-diff-bench-");
        try
        {
            var oldPath = Path.Combine(folder.FullName, "old.cs");
            var newPath = Path.Combine(folder.FullName, "new.cs");
            File.WriteAllText(oldPath, oldText);
            File.WriteAllText(newPath, newText);
            foreach (var (name, option) in new[] { ("myers", "--diff-algorithm=myers"), ("histogram", "--histogram"), ("minimal", "--minimal") })
            {
                var numstat = RunGit($"diff --no-index --numstat {option} \"{oldPath}\" \"{newPath}\"").Split('\t');
                var patch = RunGit($"diff --no-index -U3 {option} \"{oldPath}\" \"{newPath}\"");
                result[$"git_{name}_{key}_additions"] = int.Parse(numstat[0], CultureInfo.InvariantCulture);
                result[$"git_{name}_{key}_deletions"] = int.Parse(numstat[1], CultureInfo.InvariantCulture);
                result[$"git_{name}_{key}_hunks"] = patch.Split('\n').Count(l => l.StartsWith("@@ ", StringComparison.Ordinal));
            }
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or FormatException or IndexOutOfRangeException or InvalidOperationException)
        {
            Console.Error.WriteLine($"diff: git counts left out: {ex.Message}");
        }
        finally
        {
            folder.Delete(recursive: true);
        }

        return result;
    }

    private static string RunGit(string arguments)
    {
        using var git = Process.Start(new ProcessStartInfo("git", arguments) { RedirectStandardOutput = true, UseShellExecute = false })
                        ?? throw new InvalidOperationException("git did not start");
        var output = git.StandardOutput.ReadToEnd();
        git.WaitForExit();
        return output;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        var middle = sorted.Count / 2;
        return Round(sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2);
    }

    private static double Round(double value) => Math.Round(value, 2);

    private static string? LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : null;

    /// <summary>CPU time of the calling thread (Linux): the work done, whatever else the two cores are busy with.</summary>
    private static class ThreadCpu
    {
        private const int ClockThreadCpuTime = 3;

        public static double? Milliseconds() =>
            OperatingSystem.IsLinux() && NativeMethods.ClockGetTime(ClockThreadCpuTime, out var time) == 0
                ? (time.Seconds * 1000.0) + (time.Nanoseconds / 1_000_000.0)
                : null;
    }
}

[StructLayout(LayoutKind.Sequential)]
internal struct TimeSpec
{
    public long Seconds;
    public long Nanoseconds;
}

internal static class NativeMethods
{
    [DllImport("libc", EntryPoint = "clock_gettime")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    internal static extern int ClockGetTime(int clock, out TimeSpec time);
}

/// <summary>
/// Deterministic C#-like files: namespaces, classes and methods whose bodies mix common statements (braces, blank
/// lines, <c>return result;</c>, guard clauses) with statements built from a small vocabulary, so that some lines
/// repeat hundreds of times, some a few times and most are unique, as in real source files.
/// </summary>
internal sealed class SourceLikeText(int seed)
{
    private static readonly string[] Nouns = ["order", "invoice", "customer", "amount", "total", "ledger", "payment", "account", "balance", "item", "request", "result", "options", "entry", "batch", "refund", "tax", "discount"];
    private static readonly string[] Types = ["Order", "Invoice", "Customer", "decimal", "int", "string", "Payment", "Account", "Ledger", "bool", "Refund", "TaxRate"];
    private static readonly string[] Verbs = ["Compute", "Load", "Save", "Apply", "Validate", "Find", "Create", "Update", "Remove", "Post", "Reconcile", "Export"];
    private static readonly string[] Common = ["return result;", "return null;", "return true;", "return false;", "break;", "continue;", "throw new InvalidOperationException();", "await Task.Yield();"];

    private readonly Random random = new(seed);
    private int counter;

    public List<string> File(int lineCount)
    {
        var lines = new List<string> { "using System;", "using System.Collections.Generic;", "using System.Linq;", "", $"namespace Acme.Billing.Module{random.Next(100)};", "" };
        while (lines.Count < lineCount - 1)
        {
            lines.Add($"public sealed class {Pick(Types)}{Pick(Verbs)}er{counter++}");
            lines.Add("{");
            var methods = random.Next(3, 12);
            for (var m = 0; m < methods && lines.Count < lineCount - 2; m++)
            {
                if (m > 0)
                {
                    lines.Add("");
                }

                lines.AddRange(Method());
            }

            lines.Add("}");
            lines.Add("");
        }

        lines.RemoveRange(lineCount, Math.Max(0, lines.Count - lineCount));
        while (lines.Count < lineCount)
        {
            lines.Add("");
        }

        return lines;
    }

    /// <summary>A new statement (or a small block) for an inserted line.</summary>
    public IEnumerable<string> Statements(int indent) => Statement(new string(' ', indent), depth: 1);

    /// <summary>The same line with one token changed, as an edit would: a renamed identifier, a new value, an added argument.</summary>
    public string Modify(string line)
    {
        var words = WordPositions(line);
        if (words.Count == 0)
        {
            return Indent(line) + Pick(Common);
        }

        var (start, length) = words[random.Next(words.Count)];
        var word = line.Substring(start, length);
        var replacement = random.Next(4) switch
        {
            0 => char.IsDigit(word[0]) ? random.Next(10_000).ToString(CultureInfo.InvariantCulture) : word + "Async",
            1 => Pick(Nouns),
            2 => word + random.Next(2, 9).ToString(CultureInfo.InvariantCulture),
            _ => line.Contains(')', StringComparison.Ordinal) ? word : Pick(Verbs) + word,
        };
        var modified = line[..start] + replacement + line[(start + length)..];
        if (replacement == word && line.LastIndexOf(')') is var close and > 0)
        {
            modified = line[..close] + (line[close - 1] == '(' ? "" : ", ") + "cancellationToken" + line[close..];
        }

        return modified == line ? line + " // " + Pick(Nouns) : modified;
    }

    private List<string> Method()
    {
        var name = $"{Pick(Verbs)}{Capital(Pick(Nouns))}{random.Next(40)}";
        var lines = new List<string>();
        if (random.Next(3) == 0)
        {
            lines.Add($"    /// <summary>{Pick(Verbs)}s the {Pick(Nouns)} of the {Pick(Nouns)}.</summary>");
        }

        lines.Add($"    public {Pick(Types)} {name}({Pick(Types)} {Pick(Nouns)}, {Pick(Types)} {Pick(Nouns)})");
        lines.Add("    {");
        var statements = random.Next(3, 14);
        for (var s = 0; s < statements; s++)
        {
            lines.AddRange(Statement("        ", depth: 0));
        }

        lines.Add("        return result;");
        lines.Add("    }");
        return lines;
    }

    private IEnumerable<string> Statement(string indent, int depth)
    {
        var noun = Pick(Nouns);
        switch (random.Next(depth < 2 ? 14 : 10))
        {
            case 0:
                yield return $"{indent}ArgumentNullException.ThrowIfNull({noun});";
                break;
            case 1 or 2 or 3:
                yield return $"{indent}var {noun}{random.Next(20)} = {Pick(Nouns)}.{Pick(Verbs)}({Pick(Nouns)}, {random.Next(100)});";
                break;
            case 4:
                yield return $"{indent}{Pick(Nouns)}.{Capital(Pick(Nouns))} = {Pick(Nouns)}.{Capital(Pick(Nouns))} + {random.Next(10)};";
                break;
            case 5:
                yield return $"{indent}_logger.LogInformation(\"{Pick(Verbs)} {{Id}} for the {Pick(Nouns)}\", {noun}.Id);";
                break;
            case 6:
                yield return "";
                break;
            case 7:
                yield return $"{indent}{Pick(Common)}";
                break;
            case 8:
                yield return $"{indent}// {Capital(Pick(Verbs))} the {noun} before the {Pick(Nouns)} is {Pick(Verbs).ToLowerInvariant()}d.";
                break;
            case 9:
                yield return $"{indent}await _{Pick(Nouns)}Repository.{Pick(Verbs)}Async({noun}, cancellationToken);";
                break;
            default:
                yield return random.Next(2) == 0 ? $"{indent}if ({noun} is null)" : $"{indent}foreach (var {noun} in {Pick(Nouns)}s)";
                yield return $"{indent}{{";
                var inner = random.Next(1, 4);
                for (var i = 0; i < inner; i++)
                {
                    foreach (var line in Statement(indent + "    ", depth + 1))
                    {
                        yield return line;
                    }
                }

                yield return $"{indent}}}";
                break;
        }
    }

    private T Pick<T>(T[] items) => items[random.Next(items.Length)];

    private static string Capital(string word) => char.ToUpperInvariant(word[0]) + word[1..];

    private static string Indent(string line) => line[..(line.Length - line.TrimStart().Length)];

    private static List<(int Start, int Length)> WordPositions(string line)
    {
        var words = new List<(int, int)>();
        for (var i = 0; i < line.Length;)
        {
            if (char.IsLetterOrDigit(line[i]))
            {
                var start = i;
                while (i < line.Length && char.IsLetterOrDigit(line[i]))
                {
                    i++;
                }

                words.Add((start, i - start));
            }
            else
            {
                i++;
            }
        }

        return words;
    }

    /// <summary>
    /// Edits a file the way a change does: hunks of modified, deleted and inserted lines, clustered, covering about
    /// <paramref name="fraction"/> of the old lines (1.0: every line is touched).
    /// </summary>
    public List<string> Edit(IReadOnlyList<string> old, double fraction)
    {
        const double meanHunk = 6;
        var meanGap = meanHunk * (1 - fraction) / fraction;
        var result = new List<string>(old.Count + (old.Count / 10));
        var i = 0;
        while (i < old.Count)
        {
            var gap = meanGap <= 0 ? 0 : (int)(random.NextDouble() * 2 * meanGap);
            for (var g = 0; g < gap && i < old.Count; g++)
            {
                result.Add(old[i++]);
            }

            var hunk = 1 + (int)(random.NextDouble() * 2 * (meanHunk - 1));
            for (var h = 0; h < hunk && i < old.Count; h++)
            {
                var line = old[i++];
                var indent = Indent(line).Length;
                switch (random.Next(20))
                {
                    case < 11:
                        result.Add(Modify(line));
                        break;
                    case < 15:
                        break;
                    case < 18:
                        result.AddRange(Statements(Math.Max(indent, 8)));
                        result.Add(fraction >= 1 ? Modify(line) : line);
                        break;
                    default:
                        result.Add(Modify(line));
                        result.AddRange(Statements(Math.Max(indent, 8)));
                        break;
                }
            }
        }

        return result;
    }

    public static string Join(IEnumerable<string> lines)
    {
        var text = new StringBuilder();
        foreach (var line in lines)
        {
            text.Append(line).Append('\n');
        }

        return text.ToString();
    }
}
