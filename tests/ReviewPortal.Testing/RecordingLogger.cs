using Microsoft.Extensions.Logging;

namespace ReviewPortal.Testing;

/// <summary>A logger that keeps each entry with its structured fields, for tests that assert what is logged.</summary>
public sealed class RecordingLogger<T> : ILogger<T>
{
    private readonly Lock _lock = new();
    private readonly List<Entry> _entries = [];

    public sealed record Entry(LogLevel Level, string Message, IReadOnlyDictionary<string, object?> Fields);

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
