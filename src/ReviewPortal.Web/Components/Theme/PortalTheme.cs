using System.Globalization;
using System.Text;
using MudBlazor;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Domain.Risk;

namespace ReviewPortal.Web.Components.Theme;

/// <summary>Text, background and border of a badge or a coloured block.</summary>
public sealed record SwatchColours(string Text, string Background, string Border);

/// <summary>Syntax-highlighting token colours, drawn on the panel and on the added and deleted line backgrounds.</summary>
public sealed record SyntaxColours(string Keyword, string Type, string Function, string String, string Number, string Comment, string Attribute, string Tag, string Section);

/// <summary>Every colour of one scheme: the page, the diff viewer, and the tier and state badges.</summary>
public sealed record SchemeColours(
    string Ink,
    string Muted,
    string Line,
    string Page,
    string Panel,
    string Brand,
    string BrandText,
    string Link,
    string Focus,
    string AddBackground,
    string AddWord,
    string DeleteBackground,
    string DeleteWord,
    string Gutter,
    string AddText,
    string DeleteText,
    string Selected,
    SyntaxColours Syntax,
    IReadOnlyDictionary<RiskTier, SwatchColours> Tiers,
    IReadOnlyDictionary<ChangeState, SwatchColours> States,
    SwatchColours Error,
    SwatchColours Success,
    SwatchColours Warning);

/// <summary>
/// The portal's one theme. Tier and state colours are defined here once per scheme; MudBlazor's palette and the
/// portal's own CSS variables (the diff viewer, the badges) both come from these values, so light and dark stay in
/// step and each pair is checked for contrast in one place.
/// </summary>
public static class PortalTheme
{
    public static SchemeColours Light { get; } = new(
        Ink: "#1c2430",
        Muted: "#5b6675",
        Line: "#d8dee6",
        Page: "#f5f7fa",
        Panel: "#ffffff",
        Brand: "#1f4e79",
        BrandText: "#ffffff",
        Link: "#1f4e79",
        Focus: "#0b63ce",
        AddBackground: "#e6f6ea",
        AddWord: "#a8e0b5",
        DeleteBackground: "#fdecec",
        DeleteWord: "#f3b3b3",
        Gutter: "#f6f8fa",
        AddText: "#116329",
        DeleteText: "#a40e26",
        Selected: "#e3ecf7",
        Syntax: new(Keyword: "#7a1fa2", Type: "#8a3b00", Function: "#5a2ea6", String: "#0a3069", Number: "#0550ae", Comment: "#525c68", Attribute: "#0b4a8b", Tag: "#116329", Section: "#1f4e79"),
        Tiers: new Dictionary<RiskTier, SwatchColours>
        {
            [RiskTier.Low] = new("#14532d", "#e8f3ee", "#a7d7bb"),
            [RiskTier.Medium] = new("#6b4e00", "#fff7e0", "#f0d58a"),
            [RiskTier.High] = new("#8a3b00", "#ffece0", "#f5b58a"),
            [RiskTier.Critical] = new("#8b0a1a", "#fde7e9", "#f09aa5"),
        },
        States: new Dictionary<ChangeState, SwatchColours>
        {
            [ChangeState.Pending] = new("#334155", "#eef2f7", "#cbd5e1"),
            [ChangeState.ChangesRequested] = new("#7a4b00", "#fff4e0", "#f0c77a"),
            [ChangeState.Approved] = new("#14532d", "#e6f6ea", "#9fd4ab"),
            [ChangeState.Rejected] = new("#8a1c1c", "#fdecec", "#e7a3a3"),
        },
        Error: new("#8a1c1c", "#fdecec", "#e7a3a3"),
        Success: new("#14532d", "#e6f6ea", "#9fd4ab"),
        Warning: new("#6b4e00", "#fff1c2", "#f0d58a"));

    public static SchemeColours Dark { get; } = new(
        Ink: "#e6edf3",
        Muted: "#a3afbc",
        Line: "#3a434e",
        Page: "#0d1117",
        Panel: "#161b22",
        Brand: "#9ccbff",
        BrandText: "#0d1117",
        Link: "#9ccbff",
        Focus: "#58a6ff",
        AddBackground: "#12361f",
        AddWord: "#1f6f3a",
        DeleteBackground: "#3d1417",
        DeleteWord: "#7d2a2f",
        Gutter: "#11161d",
        AddText: "#7ee2a0",
        DeleteText: "#ffa198",
        Selected: "#1c2d42",
        Syntax: new(Keyword: "#ff9bce", Type: "#ffb77c", Function: "#d2a8ff", String: "#a5d6ff", Number: "#79c0ff", Comment: "#a3afbc", Attribute: "#9ccbff", Tag: "#8ee6a0", Section: "#b6d7ff"),
        Tiers: new Dictionary<RiskTier, SwatchColours>
        {
            [RiskTier.Low] = new("#a7f3c0", "#12361f", "#2f7a4a"),
            [RiskTier.Medium] = new("#f7d774", "#3a2e05", "#7a6210"),
            [RiskTier.High] = new("#ffb37a", "#40210c", "#8a4a1c"),
            [RiskTier.Critical] = new("#ffaab5", "#4a0f18", "#9b2636"),
        },
        States: new Dictionary<ChangeState, SwatchColours>
        {
            [ChangeState.Pending] = new("#cbd5e1", "#1f2937", "#475569"),
            [ChangeState.ChangesRequested] = new("#f5c56b", "#3a2a05", "#7a5a10"),
            [ChangeState.Approved] = new("#a7f3c0", "#12361f", "#2f7a4a"),
            [ChangeState.Rejected] = new("#ffb4b4", "#3d1417", "#8a2a2f"),
        },
        Error: new("#ffb4b4", "#3d1417", "#8a2a2f"),
        Success: new("#a7f3c0", "#12361f", "#2f7a4a"),
        Warning: new("#f7d774", "#3a2e05", "#7a6210"));

    private static readonly string[] FontFamily = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "sans-serif"];

    /// <summary>MudBlazor's theme, built from <see cref="Light"/> and <see cref="Dark"/>.</summary>
    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = Light.Brand,
            PrimaryContrastText = Light.BrandText,
            Secondary = "#4a5a6e",
            AppbarBackground = Light.Brand,
            AppbarText = Light.BrandText,
            Background = Light.Page,
            Surface = Light.Panel,
            DrawerBackground = Light.Panel,
            DrawerText = Light.Ink,
            TextPrimary = Light.Ink,
            TextSecondary = Light.Muted,
            LinesDefault = Light.Line,
            Divider = Light.Line,
            Error = "#b42318",
            Success = "#1a7f37",
            Warning = "#8a5a00",
            Info = "#0b63ce",
        },
        PaletteDark = new PaletteDark
        {
            Primary = Dark.Brand,
            PrimaryContrastText = Dark.BrandText,
            Secondary = "#b8c4d2",
            AppbarBackground = "#10243a",
            AppbarText = Dark.Ink,
            Background = Dark.Page,
            Surface = Dark.Panel,
            DrawerBackground = Dark.Panel,
            DrawerText = Dark.Ink,
            TextPrimary = Dark.Ink,
            TextSecondary = Dark.Muted,
            LinesDefault = Dark.Line,
            Divider = Dark.Line,
            // Light fills in the dark scheme, so their text is dark.
            Error = "#ff8a80",
            ErrorContrastText = Dark.BrandText,
            Success = "#7ee2a0",
            SuccessContrastText = Dark.BrandText,
            Warning = "#f7d774",
            WarningContrastText = Dark.BrandText,
            Info = "#79c0ff",
            InfoContrastText = Dark.BrandText,
        },
        Typography = new Typography { Default = new DefaultTypography { FontFamily = FontFamily } },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "6px" },
    };

    public static SchemeColours Of(bool dark) => dark ? Dark : Light;

    /// <summary>The portal's CSS variables for one scheme, read by site.css, the badges and the diff viewer.</summary>
    public static string CssVariables(bool dark)
    {
        var c = Of(dark);
        var css = new StringBuilder(":root{", 3072);
        void Add(string name, string value) => css.Append(CultureInfo.InvariantCulture, $"--rp-{name}:{value};");
        void Swatch(string name, SwatchColours swatch)
        {
            Add(name + "-text", swatch.Text);
            Add(name + "-bg", swatch.Background);
            Add(name + "-border", swatch.Border);
        }

        Add("ink", c.Ink);
        Add("muted", c.Muted);
        Add("line", c.Line);
        Add("bg", c.Page);
        Add("panel", c.Panel);
        Add("brand", c.Brand);
        Add("brand-text", c.BrandText);
        Add("link", c.Link);
        Add("focus", c.Focus);
        Add("add-bg", c.AddBackground);
        Add("add-word", c.AddWord);
        Add("del-bg", c.DeleteBackground);
        Add("del-word", c.DeleteWord);
        Add("gutter", c.Gutter);
        Add("add-text", c.AddText);
        Add("del-text", c.DeleteText);
        Add("selected", c.Selected);
        Add("hl-keyword", c.Syntax.Keyword);
        Add("hl-type", c.Syntax.Type);
        Add("hl-function", c.Syntax.Function);
        Add("hl-string", c.Syntax.String);
        Add("hl-number", c.Syntax.Number);
        Add("hl-comment", c.Syntax.Comment);
        Add("hl-attr", c.Syntax.Attribute);
        Add("hl-tag", c.Syntax.Tag);
        Add("hl-section", c.Syntax.Section);
        foreach (var (tier, swatch) in c.Tiers)
        {
            Swatch("tier-" + ((int)tier).ToString(CultureInfo.InvariantCulture), swatch);
        }

        foreach (var (state, swatch) in c.States)
        {
            Swatch("state-" + state.ToString().ToLowerInvariant(), swatch);
        }

        Swatch("error", c.Error);
        Swatch("success", c.Success);
        Swatch("warning", c.Warning);
        css.Append(CultureInfo.InvariantCulture, $"color-scheme:{(dark ? "dark" : "light")};}}");
        return css.ToString();
    }
}
