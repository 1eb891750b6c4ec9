using FsCheck;
using FsCheck.Fluent;
using ReviewPortal.Domain.AgentHabits;
using ReviewPortal.Domain.Diff;

namespace ReviewPortal.Domain.Tests.AgentHabits;

/// <summary>Whatever secret is found, its finding shows at most its first four characters.</summary>
public sealed class SecretMaskingProperties
{
    private const string Alphanumeric = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private static Gen<string> Chars(string alphabet, int length) =>
        Gen.ArrayOf(Gen.Elements(alphabet.ToCharArray()), length).Select(cs => new string(cs));

    private static Gen<string> KnownFormatTokens() => Gen.OneOf(
        Chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 16).Select(s => "AKIA" + s),
        Chars(Alphanumeric, 36).Select(s => "ghp_" + s),
        Chars(Alphanumeric, 20).Select(s => "glpat-" + s),
        Chars(Alphanumeric, 24).Select(s => "sk_live_" + s),
        Chars(Alphanumeric, 20).Select(s => "xoxb-" + s),
        from header in Chars(Alphanumeric, 12)
        from body in Chars(Alphanumeric, 20)
        from signature in Chars(Alphanumeric, 30)
        select $"eyJ{header}.eyJ{body}.{signature}");

    /// <summary>Tokens in each known format, and random base64-ish literals long enough to be judged by entropy.</summary>
    private static Gen<string> Tokens() => Gen.OneOf(KnownFormatTokens(), Gen.Choose(20, 60).SelectMany(n => Chars(Alphanumeric + "+/", n)));

    private static bool RevealsMoreThanFour(string text, string token) =>
        Enumerable.Range(0, token.Length - 4).Any(i => text.Contains(token.Substring(i, 5), StringComparison.Ordinal));

    [Fact]
    public void Findings_and_redacted_lines_never_show_five_characters_of_a_token() =>
        Prop.ForAll(Tokens().ToArbitrary(), Gen.Elements("\"{0}\"", "key = '{0}'", "Authorization: Bearer {0}", "x={0};").ToArbitrary(), (token, template) =>
        {
            var line = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, token);
            var findings = SecretScanner.Scan([FileLineChanges.Compute("src/a.cs", null, line)]).ToList();
            var redacted = SecretScanner.Redact(line);
            return findings.TrueForAll(f => !RevealsMoreThanFour(f.Detail, token))
                   && (findings.Count == 0 || !RevealsMoreThanFour(redacted, token));
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Known_format_tokens_are_always_found() =>
        Prop.ForAll(KnownFormatTokens().ToArbitrary(), token =>
            SecretScanner.Scan([FileLineChanges.Compute("src/a.cs", null, $"var t = \"{token}\";")]).Any()).QuickCheckThrowOnFailure();

    [Fact]
    public void Mask_keeps_at_most_four_characters() =>
        Prop.ForAll(ArbMap.Default.ArbFor<NonNull<string>>(), secret =>
        {
            var masked = SecretScanner.Mask(secret.Get);
            return secret.Get.Length <= 4 ? masked == new string('*', secret.Get.Length) : masked == secret.Get[..4] + "...";
        }).QuickCheckThrowOnFailure();
}
