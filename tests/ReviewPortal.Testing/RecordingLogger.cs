using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ReviewPortal.Testing;

/// <summary>A logger that keeps each entry with its structured fields, for tests that assert what is logged.</summary>
public class RecordingLogger(string category) : ILogger
{
    private readonly Lock _lock = new();
    private readonly List<Entry> _entries = [];

    public sealed record Entry(LogLevel Level, string Message, IReadOnlyDictionary<string, object?> Fields);

    public string Category { get; } = category;

    public IReadOnlyList<Entry> Entries
    {
        get
        {
            lock (_lock)
            {
                return _entries.ToList();
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        var fields = state is IEnumerable<KeyValuePair<string, object?>> pairs
            ? pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal)
            : new Dictionary<string, object?>(StringComparer.Ordinal);
        lock (_lock)
        {
            _entries.Add(new Entry(logLevel, formatter(state, exception), fields));
        }
    }
}

/// <inheritdoc cref="RecordingLogger"/>
public sealed class RecordingLogger<T>() : RecordingLogger(typeof(T).FullName!), ILogger<T>;

/// <summary>Records what a whole host logs, one <see cref="RecordingLogger"/> per category, behind the host's own filters.</summary>
public sealed class RecordingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentDictionary<string, RecordingLogger> _loggers = new(StringComparer.Ordinal);

    /// <summary>Every entry so far, with its category.</summary>
    public IReadOnlyList<(string Category, RecordingLogger.Entry Entry)> Entries =>
        [.. _loggers.Values.SelectMany(logger => logger.Entries.Select(entry => (logger.Category, entry)))];

    public ILogger CreateLogger(string categoryName) => _loggers.GetOrAdd(categoryName, name => new RecordingLogger(name));

    public void Dispose()
    {
    }
}
