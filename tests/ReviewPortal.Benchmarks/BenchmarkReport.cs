using System.Text.Json;

namespace ReviewPortal.Benchmarks;

public static class BenchmarkReport
{
    /// <summary>Writes the figures to docs/benchmarks/{suite}.json and prints them as one JSON object on the last line.</summary>
    public static void Write(string suite, IReadOnlyDictionary<string, object?> figures)
    {
        var json = JsonSerializer.Serialize(figures);
        var folder = Path.Combine(FindRoot(), "docs", "benchmarks");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, suite + ".json"), JsonSerializer.Serialize(figures, new JsonSerializerOptions { WriteIndented = true }) + "\n");
        Console.WriteLine(json);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ReviewPortal.sln")))
            {
                return dir.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
