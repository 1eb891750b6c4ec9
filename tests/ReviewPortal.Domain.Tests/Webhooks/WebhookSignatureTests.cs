using System.Text;
using FsCheck;
using FsCheck.Fluent;
using ReviewPortal.Domain.Webhooks;

namespace ReviewPortal.Domain.Tests.Webhooks;

[Trait("Category", "WebhookSecurity")]
public sealed class WebhookSignatureTests
{
    // GitHub's published example: https://docs.github.com/webhooks/using-webhooks/validating-webhook-deliveries
    private static readonly byte[] DocsSecret = Encoding.UTF8.GetBytes("It's a Secret to Everybody");
    private static readonly byte[] DocsPayload = Encoding.UTF8.GetBytes("Hello, World!");
    private const string DocsSignature = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

    [Fact]
    public void GitHubs_published_test_vector_verifies()
    {
        Assert.Equal(DocsSignature, WebhookSignature.ComputeGitHub(DocsSecret, DocsPayload));
        Assert.True(WebhookSignature.IsValidGitHub(DocsSecret, DocsPayload, DocsSignature));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("sha256=")]
    [InlineData("sha1=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")]
    [InlineData("757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")]
    [InlineData("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e1")]
    [InlineData("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17a")]
    [InlineData("sha256=zz7107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")]
    public void Malformed_or_missing_signatures_fail(string? header) =>
        Assert.False(WebhookSignature.IsValidGitHub(DocsSecret, DocsPayload, header));

    [Fact]
    public void Upper_case_hex_is_accepted_as_the_same_digest() =>
        Assert.True(WebhookSignature.IsValidGitHub(DocsSecret, DocsPayload, "sha256=" + DocsSignature[7..].ToUpperInvariant()));

    [Fact]
    public void Any_one_byte_change_to_the_body_fails() =>
        Prop.ForAll(Bodies(), Gen.Choose(0, int.MaxValue).ToArbitrary(), Gen.Choose(1, 255).ToArbitrary(), (body, position, delta) =>
        {
            var signature = WebhookSignature.ComputeGitHub(DocsSecret, body);
            var tampered = (byte[])body.Clone();
            var index = position % tampered.Length;
            tampered[index] = (byte)(tampered[index] + delta);
            return WebhookSignature.IsValidGitHub(DocsSecret, body, signature) && !WebhookSignature.IsValidGitHub(DocsSecret, tampered, signature);
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Any_one_character_change_to_the_signature_fails() =>
        Prop.ForAll(Bodies(), Gen.Choose(7, 70).ToArbitrary(), Gen.Elements("0123456789abcdef".ToCharArray()).ToArbitrary(), (body, position, replacement) =>
        {
            var signature = WebhookSignature.ComputeGitHub(DocsSecret, body);
            var chars = signature.ToCharArray();
            if (chars[position] == replacement)
            {
                return true;
            }

            chars[position] = replacement;
            return !WebhookSignature.IsValidGitHub(DocsSecret, body, new string(chars));
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void A_signature_made_with_another_secret_fails() =>
        Prop.ForAll(Bodies(), Bodies(), (body, otherSecret) =>
            otherSecret.AsSpan().SequenceEqual(DocsSecret)
            || !WebhookSignature.IsValidGitHub(DocsSecret, body, WebhookSignature.ComputeGitHub(otherSecret, body))).QuickCheckThrowOnFailure();

    [Theory]
    [InlineData("s3cret-token", true)]
    [InlineData("s3cret-tokeN", false)]
    [InlineData("s3cret-token ", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void GitLab_tokens_must_match_exactly(string? presented, bool valid) =>
        Assert.Equal(valid, WebhookSignature.IsValidGitLab("s3cret-token", presented));

    private static Arbitrary<byte[]> Bodies() =>
        Gen.ArrayOf(Gen.Choose(0, 255).Select(i => (byte)i)).Where(b => b.Length > 0).ToArbitrary();
}
