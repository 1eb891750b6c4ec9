using Microsoft.Playwright;
using ReviewPortal.Testing;

namespace ReviewPortal.EndToEnd;

/// <summary>
/// Every browser wait (actions, waits for selectors and functions, and Playwright's expectations, whose own default
/// is 5 s) is bounded by the shared <see cref="Eventually.DefaultLimit"/>: a loaded machine slows a passing test
/// down instead of failing it.
/// </summary>
internal static class BrowserWaits
{
    public static readonly float Limit = (float)Eventually.DefaultLimit.TotalMilliseconds;

    public static void ApplyToExpectations() => Assertions.SetDefaultExpectTimeout(Limit);
}
