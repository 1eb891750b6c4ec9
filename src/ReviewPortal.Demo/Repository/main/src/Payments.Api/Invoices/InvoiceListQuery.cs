namespace Billing.Invoices;

public sealed class InvoiceListQuery(BillingDb db)
{
    public async Task<IReadOnlyList<InvoiceRow>> RunAsync(int page, CancellationToken ct)
    {
        var invoices = await db.Invoices.OrderByDescending(i => i.IssuedAt).Skip(page * 50).Take(50).ToListAsync(ct);
        var rows = new List<InvoiceRow>();
        foreach (var invoice in invoices)
        {
            var customer = await db.Customers.FindAsync([invoice.CustomerId], ct);
            rows.Add(new InvoiceRow(invoice.Number, customer!.Name, invoice.Total));
        }

        return rows;
    }
}