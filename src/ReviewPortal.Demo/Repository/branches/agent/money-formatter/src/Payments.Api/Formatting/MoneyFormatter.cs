using System.Globalization;

namespace Web.Formatting;

public static class MoneyFormatter
{
    public static string Format(decimal amount, string currency) =>
        string.Create(CultureInfo.InvariantCulture, $"{amount:N2} {currency.ToUpperInvariant()}");
}