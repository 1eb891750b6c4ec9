using System.Linq.Expressions;

namespace ReviewPortal.Web.Data;

/// <summary>Composes query expressions, so a rule written once as an expression is also used inside projections.</summary>
public static class QueryExpressions
{
    /// <summary>
    /// <paramref name="projection"/> with its second parameter replaced by <paramref name="value"/> of the same
    /// entity: <c>(c, untraced) =&gt; new Row(..., untraced)</c> and <c>c =&gt; rule</c> give <c>c =&gt; new Row(..., rule)</c>,
    /// which EF Core translates as if written out.
    /// </summary>
    public static Expression<Func<T, TResult>> Inline<T, TValue, TResult>(Expression<Func<T, TValue, TResult>> projection, Expression<Func<T, TValue>> value)
    {
        ArgumentNullException.ThrowIfNull(projection);
        ArgumentNullException.ThrowIfNull(value);
        var entity = projection.Parameters[0];
        var inlined = new Replace(value.Parameters[0], entity).Visit(value.Body);
        return Expression.Lambda<Func<T, TResult>>(new Replace(projection.Parameters[1], inlined).Visit(projection.Body), entity);
    }

    private sealed class Replace(ParameterExpression parameter, Expression with) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == parameter ? with : base.VisitParameter(node);
    }
}
