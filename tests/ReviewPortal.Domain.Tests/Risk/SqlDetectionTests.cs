using ReviewPortal.Domain.Risk;

namespace ReviewPortal.Domain.Tests.Risk;

public sealed class SqlDetectionTests
{
    [Theory]
    [InlineData("CREATE TABLE orders (id bigint);")]
    [InlineData("alter table users add column mfa boolean;")]
    [InlineData("DROP INDEX ix_orders;")]
    [InlineData("CREATE UNIQUE INDEX ix ON t (a);")]
    [InlineData("TRUNCATE audit_events;")]
    [InlineData("ALTER TABLE t RENAME COLUMN a TO b;")]
    public void Recognises_ddl(string line) => Assert.True(SqlDetection.IsDdl(line));

    [Theory]
    [InlineData("SELECT id FROM orders WHERE id = 1")]
    [InlineData("var rows = conn.Query(\"select * from t\");")]
    [InlineData("INSERT INTO audit (a) VALUES (1)")]
    [InlineData("UPDATE orders SET archived_at = now()")]
    [InlineData("DELETE FROM sessions WHERE expired")]
    [InlineData("db.Database.ExecuteSqlRawAsync(sql)")]
    [InlineData("db.Customers.FromSqlInterpolated($\"...\")")]
    [InlineData("await db.Database.SqlQuery<InvoiceRow>($\"\"\"")]
    [InlineData("    SELECT i.number AS \"Number\", c.name")]
    public void Recognises_queries(string line) => Assert.True(SqlDetection.IsQuery(line));

    [Theory]
    [InlineData("// select the best candidate from the list")]
    [InlineData("var selected = items.Select(i => i.Id);")]
    [InlineData("Update the README")]
    [InlineData("public void Delete(Order order)")]
    public void Ignores_prose_and_linq(string line)
    {
        Assert.False(SqlDetection.IsQuery(line));
        Assert.False(SqlDetection.IsDdl(line));
    }
}
