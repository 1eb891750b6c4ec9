using FsCheck;
using FsCheck.Fluent;
using ReviewPortal.Domain.Text;

namespace ReviewPortal.Domain.Tests.Text;

[Trait("Category", "BadInput")]
public sealed class StorableTextTests
{
    private static readonly Gen<string> Mixed = Gen.Elements("\0", "\ud800", "\udc00", "😀", "a", "é", "\u0001", "\uffff")
        .ArrayOf().Select(string.Concat);

    [Theory]
    [InlineData("plain", true)]
    [InlineData("emoji 😀 pair", true)]
    [InlineData("control \u0001\u001b\u007f", true)]
    [InlineData("nul \0", false)]
    public void Nul_makes_text_unstorable_and_other_characters_do_not(string value, bool storable) =>
        Assert.Equal(storable, StorableText.IsStorable(value));

    [Theory]
    [InlineData(0xD800, false)]
    [InlineData(0xDBFF, false)]
    [InlineData(0xDC00, true)]
    [InlineData(0xDFFF, true)]
    public void An_unpaired_surrogate_is_unstorable_wherever_it_stands(int codePoint, bool isLow)
    {
        var c = (char)codePoint;
        Assert.Equal(isLow, char.IsLowSurrogate(c));
        Assert.All(new[] { $"{c}", $"a{c}", $"{c}a", $"😀{c}😀" }, value => Assert.False(StorableText.IsStorable(value)));
    }

    [Fact]
    public void Repair_replaces_each_unstorable_character_and_keeps_everything_else()
    {
        Assert.Equal("a\uFFFDb\uFFFD😀\uFFFD", StorableText.Repair("a\0b\ud800😀\udc00"));
        var clean = "nothing to do 😀";
        Assert.Same(clean, StorableText.Repair(clean));
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(200), Prop.ForAll(Mixed.ToArbitrary(), value =>
        {
            var repaired = StorableText.Repair(value);
            return StorableText.IsStorable(repaired) && repaired.Length == value.Length
                   && repaired.Zip(value).All(p => p.First == p.Second || p.First == StorableText.Replacement);
        }));
    }

    [Fact]
    public void Truncating_never_leaves_half_a_surrogate_pair()
    {
        Assert.Equal("ab", StorableText.Truncate("ab😀", 3));
        Assert.Equal("ab😀", StorableText.Truncate("ab😀c", 4));
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(200), Prop.ForAll(Mixed.ToArbitrary(), Gen.Choose(0, 20).ToArbitrary(), (value, length) =>
        {
            var repaired = StorableText.Repair(value);
            var cut = StorableText.Truncate(repaired, length);
            return cut.Length <= length && StorableText.IsStorable(cut) && repaired.StartsWith(cut, StringComparison.Ordinal);
        }));
    }

    [Fact]
    public void A_nul_anywhere_in_file_content_makes_it_binary()
    {
        var late = new byte[20_000];
        late.AsSpan().Fill((byte)'x');
        late[^1] = 0;

        Assert.True(StorableText.IsBinary(late));
        Assert.False(StorableText.IsBinary("x\n"u8));
        Assert.True(StorableText.IsBinary("text\0more"));
        Assert.False(StorableText.IsBinary((string?)null));
    }

    [Fact]
    public void Invalid_utf8_from_an_scm_decodes_to_nul_so_the_repair_sees_it()
    {
        Assert.Equal("caf\0\n", StorableText.DecodeScmUtf8([.. "caf"u8, 0xE9, (byte)'\n']));
        // A surrogate encoded in UTF-8 (ED A0 80) is not UTF-8: each invalid byte is marked.
        Assert.Equal("a\0\0\0b", StorableText.DecodeScmUtf8([(byte)'a', 0xED, 0xA0, 0x80, (byte)'b']));
        Assert.Equal("café 😀", StorableText.DecodeScmUtf8("café 😀"u8));
        Assert.Equal("caf\uFFFD", new StorableTextRepairs().Repair("content", StorableText.DecodeScmUtf8([.. "caf"u8, 0xE9])));
    }

    [Fact]
    public void Repairs_name_each_altered_field_once()
    {
        var repairs = new StorableTextRepairs();

        repairs.Repair("title", "a\0");
        repairs.Repair("title", "b\0");
        repairs.Repair("author", "fine");
        repairs.Repair("source branch", "x\ud800");

        Assert.Equal(["title", "source branch"], repairs.Fields);
        Assert.Contains("title, source branch", repairs.Note, StringComparison.Ordinal);
        Assert.Null(new StorableTextRepairs().Note);
    }
}
