namespace Web.Views;

public sealed class InvoiceSummary(Invoice invoice)
{
    public string Total => invoice.Total.ToString("0.00") + " " + invoice.Currency;
    public string Tax => "$" + invoice.Tax.ToString("F2");
}