using Web.Formatting;

namespace Web.Views;

public sealed class InvoiceSummary(Invoice invoice)
{
    public string Total => MoneyFormatter.Format(invoice.Total, invoice.Currency);
    public string Tax => MoneyFormatter.Format(invoice.Tax, invoice.Currency);
}