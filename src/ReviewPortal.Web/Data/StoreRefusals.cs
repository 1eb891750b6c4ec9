using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;

namespace ReviewPortal.Web.Data;

/// <summary>What the database would refuse, asked of the EF model before a write and of the error after one.</summary>
public static class StoreRefusals
{
    /// <summary>
    /// True when the write broke a unique index (SQL state 23505): only then is "already exists" the truth. Any other
    /// failure (a lost connection, a value too long) is not the user's duplicate and must not be reported as one.
    /// </summary>
    public static bool IsUniqueViolation(this DbUpdateException exception) =>
        exception?.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    /// <summary>
    /// True when the write broke the unique index the model puts on <typeparamref name="TEntity"/>'s
    /// <paramref name="properties"/>: a table with several unique indexes tells a duplicate name from, say, a key clash.
    /// </summary>
    public static bool IsUniqueViolationOf<TEntity>(this DbUpdateException exception, IModel model, params string[] properties)
    {
        ArgumentNullException.ThrowIfNull(model);
        var index = model.FindEntityType(typeof(TEntity))?.GetIndexes()
            .FirstOrDefault(i => i.IsUnique && i.Properties.Select(p => p.Name).SequenceEqual(properties, StringComparer.Ordinal));
        return index is not null && exception?.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } violation
            && string.Equals(violation.ConstraintName, index.GetDatabaseName(), StringComparison.Ordinal);
    }

    /// <summary>The column length the model gives <typeparamref name="TEntity"/>'s <paramref name="property"/>, or null for unbounded text.</summary>
    public static int? MaxLengthOf<TEntity>(this IModel model, string property)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.FindEntityType(typeof(TEntity))?.FindProperty(property)?.GetMaxLength();
    }
}
