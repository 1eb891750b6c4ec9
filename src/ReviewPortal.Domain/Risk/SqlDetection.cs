using System.Text.RegularExpressions;

namespace ReviewPortal.Domain.Risk;

/// <summary>Recognises SQL in changed lines: schema changes (DDL) and data queries (DML).</summary>
public static partial class SqlDetection
{
    public static bool IsDdl(string line) => DdlRegex().IsMatch(line);

    /// <summary>
    /// A query keyword pair on one line (any case), a raw-SQL API call, or an upper-case SELECT that starts a
    /// statement, which catches queries split over lines the way they are written in code.
    /// </summary>
    public static bool IsQuery(string line) => QueryRegex().IsMatch(line) || StatementStartRegex().IsMatch(line);

    [GeneratedRegex(@"\b(CREATE|ALTER|DROP)\s+(TABLE|INDEX|UNIQUE\s+INDEX|VIEW|SCHEMA|SEQUENCE|TYPE|FUNCTION|TRIGGER|EXTENSION|COLUMN)\b|\bTRUNCATE\s+(TABLE\s+)?\w|\bRENAME\s+(COLUMN|TO)\b|\bADD\s+(COLUMN|CONSTRAINT)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, matchTimeoutMilliseconds: RegexLimits.TimeoutMilliseconds)]
    private static partial Regex DdlRegex();

    [GeneratedRegex(@"\bSELECT\s+(DISTINCT\s+|TOP\s+\d+\s+)?([\w."":*()]+(\s+AS\s+\w+)?\s*,\s*)*[\w."":*()]+(\s+AS\s+\w+)?\s+FROM\s+[\w."":]+|\bINSERT\s+INTO\b|\bUPDATE\s+[\w""\[\].]+\s+SET\b|\bDELETE\s+FROM\b|\bMERGE\s+INTO\b|\b(FromSql|SqlQuery|ExecuteSql)(Raw|Interpolated)?(Async)?\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, matchTimeoutMilliseconds: RegexLimits.TimeoutMilliseconds)]
    private static partial Regex QueryRegex();

    [GeneratedRegex(@"(^|[""'`(\s])SELECT\s+(DISTINCT\s+)?[\w""*(]", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, matchTimeoutMilliseconds: RegexLimits.TimeoutMilliseconds)]
    private static partial Regex StatementStartRegex();
}
