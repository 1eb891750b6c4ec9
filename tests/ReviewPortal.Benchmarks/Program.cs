using System.Globalization;
using ReviewPortal.Benchmarks;

// Usage: dotnet run -c Release --project tests/ReviewPortal.Benchmarks -- <suite> [--rate N] [--seconds N] [--warmup N] [--runs N]
var suite = args.FirstOrDefault() ?? "";
int Option(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}

switch (suite)
{
    case "webhook":
        var figures = await WebhookSuite.RunAsync(Option("--rate", 500), TimeSpan.FromSeconds(Option("--warmup", 5)), TimeSpan.FromSeconds(Option("--seconds", 20)), worker: !args.Contains("--no-worker"));
        BenchmarkReport.Write("webhook", figures);
        return figures["correct"] is true ? 0 : 1;
    case "diff":
        var diffFigures = DiffSuite.Run(diffPlexRuns: Option("--runs", 5), portalRuns: Math.Max(Option("--runs", 5), 21), warmUps: Option("--warmup", 2));
        BenchmarkReport.Write("diff", diffFigures);
        return diffFigures["correct"] is true ? 0 : 1;
    case "review-page":
        var page = await ReviewPageSuite.RunAsync(Option("--runs", 7), Option("--warmup", 2));
        BenchmarkReport.Write("review-page", page);
        return page["correct"] is true ? 0 : 1;
    case "live-updates":
        var live = await LiveUpdatesSuite.RunAsync(Option("--runs", 21), Option("--warmup", 3));
        BenchmarkReport.Write("live-updates", live);
        return live["correct"] is true ? 0 : 1;
    default:
        Console.Error.WriteLine("Suites: webhook, diff, review-page, live-updates");
        return 2;
}
