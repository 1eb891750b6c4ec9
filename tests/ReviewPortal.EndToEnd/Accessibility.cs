using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace ReviewPortal.EndToEnd;

/// <summary>axe-core in the page as it stands: no serious or critical violation may remain.</summary>
internal static class Accessibility
{
    public static async Task AssertNoSeriousViolationsAsync(IPage page)
    {
        var result = await page.RunAxe();
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, $"axe found {serious.Count} serious or critical violation(s) on {page.Url}:\n{Describe(serious)}");
    }

    private static string Describe(IEnumerable<AxeResultItem> violations) =>
        string.Join('\n', violations.Select(v =>
            $"- {v.Id} ({v.Impact}): {v.Help}\n" + string.Join('\n', v.Nodes.Take(5).Select(n => $"    {n.Target}: {n.Html}"))));
}
