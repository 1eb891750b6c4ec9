using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace ReviewPortal.EndToEnd;

/// <summary>
/// Every console error and uncaught page error of the browser contexts it watches, and every Content-Security-Policy
/// violation. A page that logs an error has a bug even when the test's own assertions pass, so each end-to-end test
/// fails on one it did not declare, and on any policy violation.
/// </summary>
public sealed class BrowserConsole
{
    private readonly ConcurrentQueue<string> _errors = new();
    private readonly ConcurrentQueue<Regex> _allowed = new();
    private readonly ConcurrentQueue<string> _policyViolations = new();

    public void Watch(IBrowserContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Console += (_, message) =>
        {
            // Chromium reports what the Content-Security-Policy blocked (a script, a style, a socket, a form's redirect)
            // on the console; no test may declare one acceptable.
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                _policyViolations.Enqueue($"{message.Type} on {message.Page?.Url}: {message.Text}");
            }

            if (message.Type == "error")
            {
                _errors.Enqueue($"console error on {message.Page?.Url}: {message.Text}");
            }
        };
        context.WebError += (_, error) => _errors.Enqueue($"uncaught page error: {error.Error}");
    }

    /// <summary>Declares an error the test provokes on purpose (a page answering 404, a server that was stopped).</summary>
    public void Allow(string pattern, bool ignoreCase = false) =>
        _allowed.Enqueue(new Regex(pattern, ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None, TimeSpan.FromSeconds(1)));

    public void Reset()
    {
        _errors.Clear();
        _allowed.Clear();
        _policyViolations.Clear();
    }

    public void AssertClean()
    {
        var unexpected = _errors.Where(e => !_allowed.Any(a => a.IsMatch(e))).ToList();
        var violations = _policyViolations.ToList();
        Reset();
        Assert.True(violations.Count == 0, "The Content-Security-Policy blocked something:\n" + string.Join('\n', violations));
        Assert.True(unexpected.Count == 0, "The browser reported errors:\n" + string.Join('\n', unexpected));
    }
}

/// <summary>An end-to-end test class whose every test fails on a browser error it did not declare.</summary>
public abstract class ConsoleCheckedTest(BrowserConsole console) : IAsyncLifetime
{
    protected BrowserConsole BrowserConsole { get; } = console;

    public Task InitializeAsync()
    {
        BrowserConsole.Reset();
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        BrowserConsole.AssertClean();
        return Task.CompletedTask;
    }
}
