using System.Globalization;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Domain.Risk;
using ReviewPortal.Web.Components.Theme;

namespace ReviewPortal.Web.Tests.Components.Theme;

/// <summary>Every text colour of both schemes against the background it is drawn on, by WCAG 2's contrast ratio (AA, 4.5:1).</summary>
public sealed class PortalThemeTests
{
    public static TheoryData<string> Schemes => new() { "light", "dark" };

    private static SchemeColours Scheme(string name) => PortalTheme.Of(name == "dark");

    private static double Luminance(string hex)
    {
        static double Channel(int value)
        {
            var c = value / 255.0;
            return c <= 0.03928 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
        }

        var rgb = int.Parse(hex.AsSpan(1), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        return (0.2126 * Channel((rgb >> 16) & 0xFF)) + (0.7152 * Channel((rgb >> 8) & 0xFF)) + (0.0722 * Channel(rgb & 0xFF));
    }

    private static double Contrast(string a, string b)
    {
        var (la, lb) = (Luminance(a), Luminance(b));
        return (Math.Max(la, lb) + 0.05) / (Math.Min(la, lb) + 0.05);
    }

    [Theory]
    [MemberData(nameof(Schemes))]
    public void Tier_and_state_badges_are_readable(string name)
    {
        var scheme = Scheme(name);
        Assert.Equal(Enum.GetValues<RiskTier>().Order(), scheme.Tiers.Keys.Order());
        Assert.Equal(Enum.GetValues<ChangeState>().Order(), scheme.States.Keys.Order());
        var swatches = scheme.Tiers.Select(t => ($"tier {t.Key}", t.Value))
            .Concat(scheme.States.Select(s => ($"state {s.Key}", s.Value)))
            .Append(("error", scheme.Error)).Append(("success", scheme.Success)).Append(("warning", scheme.Warning));
        Assert.All(swatches, s => Assert.True(Contrast(s.Item2.Text, s.Item2.Background) >= 4.5, $"{name} {s.Item1}: {Contrast(s.Item2.Text, s.Item2.Background):F2}:1"));
    }

    [Theory]
    [MemberData(nameof(Schemes))]
    public void Page_text_links_and_diff_lines_are_readable(string name)
    {
        var c = Scheme(name);
        (string What, string Text, string Background)[] pairs =
        [
            ("ink on page", c.Ink, c.Page), ("ink on panel", c.Ink, c.Panel), ("muted on panel", c.Muted, c.Panel),
            ("muted on page", c.Muted, c.Page), ("muted on gutter", c.Muted, c.Gutter), ("link on panel", c.Link, c.Panel),
            ("brand text on brand", c.BrandText, c.Brand), ("ink on added line", c.Ink, c.AddBackground),
            ("ink on deleted line", c.Ink, c.DeleteBackground), ("ink on added word", c.Ink, c.AddWord),
            ("ink on deleted word", c.Ink, c.DeleteWord),
        ];
        Assert.All(pairs, p => Assert.True(Contrast(p.Text, p.Background) >= 4.5, $"{name} {p.What}: {Contrast(p.Text, p.Background):F2}:1"));
    }

    [Theory]
    [MemberData(nameof(Schemes))]
    public void Syntax_colours_and_diff_stats_are_readable_on_every_diff_background(string name)
    {
        var c = Scheme(name);
        var s = c.Syntax;
        (string What, string Colour)[] tokens =
        [
            ("keyword", s.Keyword), ("type", s.Type), ("function", s.Function), ("string", s.String), ("number", s.Number),
            ("comment", s.Comment), ("attribute", s.Attribute), ("tag", s.Tag), ("section", s.Section),
        ];
        (string What, string Colour)[] backgrounds = [("panel", c.Panel), ("added line", c.AddBackground), ("deleted line", c.DeleteBackground)];
        var pairs = tokens.SelectMany(t => backgrounds.Select(b => ($"{t.What} on {b.What}", t.Colour, b.Colour)))
            .Concat([.. new[] { ("added", c.AddText), ("deleted", c.DeleteText) }
                .SelectMany(t => new[] { ("panel", c.Panel), ("gutter", c.Gutter), ("selected file", c.Selected) }.Select(b => ($"{t.Item1} stat on {b.Item1}", t.Item2, b.Item2)))])
            .Append(("ink on selected file", c.Ink, c.Selected)).Append(("muted on selected file", c.Muted, c.Selected)).Append(("link on selected file", c.Link, c.Selected))
            .ToList();
        Assert.All(pairs, p => Assert.True(Contrast(p.Item2, p.Item3) >= 4.5, $"{name} {p.Item1}: {Contrast(p.Item2, p.Item3):F2}:1"));
    }

    [Fact]
    public void The_css_variables_carry_the_scheme_chosen()
    {
        var dark = PortalTheme.CssVariables(dark: true);
        Assert.Contains($"--rp-tier-4-bg:{PortalTheme.Dark.Tiers[RiskTier.Critical].Background};", dark, StringComparison.Ordinal);
        Assert.Contains("color-scheme:dark;", dark, StringComparison.Ordinal);
        Assert.Contains($"--rp-hl-keyword:{PortalTheme.Dark.Syntax.Keyword};", dark, StringComparison.Ordinal);
        Assert.Contains($"--rp-ink:{PortalTheme.Light.Ink};", PortalTheme.CssVariables(dark: false), StringComparison.Ordinal);
    }
}
