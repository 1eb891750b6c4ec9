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

    /// <summary>
    /// <paramref name="rule"/> over two facts of an entity, as a filter on the entity: <c>(tier, submittedBy) =&gt; ...</c>
    /// with <c>c =&gt; c.Tier</c> and <c>c =&gt; c.SubmittedBy</c> gives <c>c =&gt; ...</c> over the entity's columns.
    /// </summary>
    public static Expression<Func<T, bool>> Apply<T, TFirst, TSecond>(Expression<Func<TFirst, TSecond, bool>> rule, Expression<Func<T, TFirst>> first, Expression<Func<T, TSecond>> second)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        var entity = first.Parameters[0];
        var secondBody = new Replace(second.Parameters[0], entity).Visit(second.Body);
        var body = new Replace(rule.Parameters[1], secondBody).Visit(new Replace(rule.Parameters[0], first.Body).Visit(rule.Body));
        return Expression.Lambda<Func<T, bool>>(body, entity);
    }

    private sealed class Replace(ParameterExpression parameter, Expression with) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == parameter ? with : base.VisitParameter(node);
    }
}
