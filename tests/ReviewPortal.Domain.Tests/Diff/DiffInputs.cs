using System.Globalization;
using FsCheck;
using FsCheck.Fluent;

namespace ReviewPortal.Domain.Tests.Diff;

/// <summary>An old and a new file, and how many lines the edit that made one from the other inserted and deleted.</summary>
public sealed record EditedFile(string[] Old, string[] New, int Inserted, int Deleted)
{
    public override string ToString() => $"{Old.Length} -> {New.Length} lines, {Inserted} inserted, {Deleted} deleted";
}

/// <summary>
/// Inputs for diff properties: source-like files (braces, blank lines and common statements repeat, most other
/// lines are unique) edited the way a change edits them, in clustered hunks of inserted, deleted and modified lines.
/// </summary>
public static class DiffInputs
{
    private static readonly string[] Common = ["{", "}", "", "    {", "    }", "        return result;", "        break;", "    }", "", "        {", "        }"];
    private static readonly string[] Names = ["order", "total", "amount", "ledger", "item", "account", "tax"];

    /// <summary>Lines drawn from a small set, so nearly every line repeats (the hard case for reduction).</summary>
    public static Arbitrary<string[]> RepetitiveLines() =>
        Gen.ArrayOf(Gen.Elements("{", "}", "", "return x;", "var a = 1;", "var b = 2;", "if (a > b)", "// note", "x++;", "y--;")).ToArbitrary();

    /// <summary>Arbitrary text lines, including empty ones, '\r' endings and non-ASCII characters.</summary>
    public static Arbitrary<string[]> ArbitraryLines() =>
        Gen.ArrayOf(Gen.OneOf(
                ArbMap.Default.GeneratorFor<NonNull<string>>().Select(s => s.Get.Replace("\n", "", StringComparison.Ordinal)),
                Gen.Elements("", "\r", "a", "a\r", "é", "😀", "}")))
            .ToArbitrary();

    /// <summary>A source-like file edited in clustered hunks, from 0 to 400 lines.</summary>
    public static Arbitrary<EditedFile> ClusteredEdits(int maxLines = 400) =>
        (from seed in Gen.Choose(0, int.MaxValue)
         from lines in Gen.Choose(0, maxLines)
         from hunks in Gen.Choose(0, 12)
         select Edited(seed, lines, hunks)).ToArbitrary();

    public static EditedFile Edited(int seed, int lines, int hunks)
    {
        var random = new Random(seed);
        var old = SourceFile(random, lines);
        var result = new List<string>(old);
        var inserted = 0;
        var deleted = 0;

        // Hunks are applied from the bottom up, so earlier positions stay valid.
        var starts = Enumerable.Range(0, hunks).Select(_ => random.Next(old.Length + 1)).OrderDescending().ToList();
        foreach (var start in starts)
        {
            var position = start;
            var size = random.Next(1, 8);
            for (var k = 0; k < size; k++)
            {
                switch (random.Next(3))
                {
                    case 0 when position < result.Count:
                        result[position] = Modify(random, result[position]);
                        inserted++;
                        deleted++;
                        position++;
                        break;
                    case 1 when position < result.Count:
                        result.RemoveAt(position);
                        deleted++;
                        break;
                    default:
                        result.Insert(position, Statement(random));
                        inserted++;
                        position++;
                        break;
                }
            }
        }

        return new EditedFile(old, [.. result], inserted, deleted);
    }

    public static string[] SourceFile(Random random, int lines)
    {
        var file = new string[lines];
        for (var i = 0; i < lines; i++)
        {
            file[i] = random.Next(3) == 0 ? Common[random.Next(Common.Length)] : Statement(random);
        }

        return file;
    }

    private static string Statement(Random random) => random.Next(4) switch
    {
        0 => $"        var {Names[random.Next(Names.Length)]}{random.Next(50)} = Compute({random.Next(1000)});",
        1 => $"        if ({Names[random.Next(Names.Length)]} is null)",
        2 => $"        _log.Info(\"{Names[random.Next(Names.Length)]} {random.Next(100)}\");",
        _ => $"        {Names[random.Next(Names.Length)]}.Total += {random.Next(10)};",
    };

    private static string Modify(Random random, string line) =>
        line.Trim().Length == 0 ? "        // " + Names[random.Next(Names.Length)] : line + " // " + random.Next(100).ToString(CultureInfo.InvariantCulture);

    /// <summary>Length of a longest common subsequence, by plain dynamic programming: the reference the engines are checked against.</summary>
    public static int LongestCommonSubsequence<T>(IReadOnlyList<T> a, IReadOnlyList<T> b)
    {
        var previous = new int[b.Count + 1];
        var current = new int[b.Count + 1];
        for (var i = 1; i <= a.Count; i++)
        {
            for (var j = 1; j <= b.Count; j++)
            {
                current[j] = EqualityComparer<T>.Default.Equals(a[i - 1], b[j - 1]) ? previous[j - 1] + 1 : Math.Max(previous[j], current[j - 1]);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Count];
    }
}
