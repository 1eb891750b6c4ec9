using FsCheck;
using FsCheck.Fluent;
using ReviewPortal.Domain.Provenance;

namespace ReviewPortal.Domain.Tests.Provenance;

public sealed class ProvenanceTrailersProperties
{
    private static readonly char[] ValueChars = "abcXYZ019_-.:@/+= #`~é".ToCharArray();
    private static readonly string[] ProseWords = ["Fix", "the", "login", "Model", "Agent-Session:", "see", "below.", "-", "*", "##", "x:y"];

    private static Gen<string?> Values() =>
        Gen.ArrayOf(Gen.Elements(ValueChars)).Select(cs => new string(cs).Trim()).Select(v => v.Length == 0 ? null : v);

    private static Arbitrary<ProvenanceTrailers> Trailers() =>
        (from session in Values()
         from model in Values()
         from prompter in Values()
         from tool in Values()
         from hash in Values()
         select new ProvenanceTrailers(session, model, prompter, tool, hash)).ToArbitrary();

    private static Arbitrary<string> Prose() =>
        // Each line opens like a sentence, so a prose paragraph never consists only of trailer-shaped lines.
        Gen.ListOf(Gen.NonEmptyListOf(Gen.Elements(ProseWords)).Select(ws => "Fix " + string.Join(' ', ws)))
            .Select(lines => string.Join('\n', lines))
            .ToArbitrary();

    [Fact]
    public void Format_then_parse_gives_the_same_trailers() =>
        Prop.ForAll(Trailers(), trailers => ProvenanceTrailers.Parse(trailers.Format()) == trailers).QuickCheckThrowOnFailure();

    [Fact]
    public void Trailers_after_any_prose_paragraphs_are_read_back() =>
        Prop.ForAll(Prose(), Trailers(), (prose, trailers) =>
            ProvenanceTrailers.Parse(prose + "\n\n" + trailers.Format()) == trailers).QuickCheckThrowOnFailure();

    [Fact]
    public void Arbitrary_descriptions_never_make_the_parser_throw() =>
        Prop.ForAll(ArbMap.Default.ArbFor<string>(), Prose(), (text, prose) =>
        {
            var parsed = ProvenanceTrailers.Parse(text);
            var mixed = ProvenanceTrailers.Parse(prose + "\n```\n" + text + "\n\nModel: m\n");
            return parsed is not null && mixed is not null;
        }).QuickCheckThrowOnFailure();
}
