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
    /// <paramref name="rule"/> over three facts of an entity, as a filter on the entity: <c>(tier, submittedBy, repository) =&gt; ...</c>
    /// with <c>c =&gt; c.Tier</c>, <c>c =&gt; c.SubmittedBy</c> and <c>c =&gt; c.Repository</c> gives <c>c =&gt; ...</c> over the entity's columns.
    /// </summary>
    public static Expression<Func<T, bool>> Apply<T, TFirst, TSecond, TThird>(
        Expression<Func<TFirst, TSecond, TThird, bool>> rule, Expression<Func<T, TFirst>> first, Expression<Func<T, TSecond>> second, Expression<Func<T, TThird>> third)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        ArgumentNullException.ThrowIfNull(third);
        var entity = first.Parameters[0];
        Expression body = rule.Body;
        foreach (var (parameter, fact) in new (ParameterExpression, LambdaExpression)[] { (rule.Parameters[0], first), (rule.Parameters[1], second), (rule.Parameters[2], third) })
        {
            body = new Replace(parameter, new Replace(fact.Parameters[0], entity).Visit(fact.Body)).Visit(body);
        }

        return Expression.Lambda<Func<T, bool>>(body, entity);
    }

    private sealed class Replace(ParameterExpression parameter, Expression with) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == parameter ? with : base.VisitParameter(node);
    }
}
