namespace Billing.Invoices;

public sealed class InvoiceListQuery(BillingDb db)
{
    public async Task<IReadOnlyList<InvoiceRow>> RunAsync(int page, CancellationToken ct) =>
        await db.Database.SqlQuery<InvoiceRow>($"""
            SELECT i.number AS "Number", c.name AS "CustomerName", i.total AS "Total"
            FROM invoices i JOIN customers c ON c.id = i.customer_id
            ORDER BY i.issued_at DESC
            OFFSET {page * 50} LIMIT 50
            """).ToListAsync(ct);
}