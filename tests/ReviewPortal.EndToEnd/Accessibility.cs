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

    /// <summary>
    /// Every piece of text in the app bar (brand, signed-in name, sign-out) against the bar's own background, by the
    /// WCAG formula on the computed colours. axe leaves text on the fixed app bar as "incomplete" (it cannot be sure
    /// of the background behind a fixed element), so an unreadable brand link would pass it.
    /// </summary>
    public static async Task AssertAppBarTextReadableAsync(IPage page)
    {
        var findings = await page.EvaluateAsync<string[]>(ContrastScript);
        Assert.True(findings.Length > 0, $"No app bar text was found on {page.Url}.");
        var unreadable = findings.Where(f => !f.StartsWith("ok ", StringComparison.Ordinal)).ToList();
        Assert.True(unreadable.Count == 0, $"App bar text below 4.5:1 on {page.Url}:\n{string.Join('\n', unreadable)}");
    }

    private const string ContrastScript = """
        () => {
          const bar = document.querySelector('.mud-appbar');
          if (!bar) return [];
          const rgb = c => c.match(/[\d.]+/g).slice(0, 3).map(Number);
          const lum = ([r, g, b]) => [r, g, b].map(v => { v /= 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
            .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
          const background = rgb(getComputedStyle(bar).backgroundColor);
          return [...bar.querySelectorAll('a, button, span')]
            .filter(e => [...e.childNodes].some(n => n.nodeType === Node.TEXT_NODE && n.textContent.trim()))
            .map(e => {
              const [a, b] = [lum(rgb(getComputedStyle(e).color)), lum(background)].sort((x, y) => y - x);
              const ratio = (a + 0.05) / (b + 0.05);
              return `${ratio >= 4.5 ? 'ok' : 'low'} ${ratio.toFixed(2)}: "${e.textContent.trim()}"`;
            });
        }
        """;

    private static string Describe(IEnumerable<AxeResultItem> violations) =>
        string.Join('\n', violations.Select(v =>
            $"- {v.Id} ({v.Impact}): {v.Help}\n" + string.Join('\n', v.Nodes.Take(5).Select(n => $"    {n.Target}: {n.Html}"))));
}
