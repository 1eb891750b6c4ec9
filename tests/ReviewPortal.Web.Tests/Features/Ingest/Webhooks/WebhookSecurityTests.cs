using System.Net;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using ReviewPortal.Testing;

namespace ReviewPortal.Web.Tests.Features.Ingest.Webhooks;

/// <summary>The webhook endpoints' security, checked against the real endpoint and database.</summary>
[Trait("Category", "WebhookSecurity")]
public sealed class WebhookSecurityTests(WebhookFixture fixture) : IClassFixture<WebhookFixture>
{
    private const int Number = 500;
    private static readonly Config Checks = Config.QuickThrowOnFailure.WithMaxTest(25);

    private byte[] ValidBody()
    {
        fixture.Scm.PutPullRequest(WebhookFixture.GitHubRepository, Number, "base0000500", "head0000500", [new FakeFile("notes.txt", "a\n", "b\n")]);
        return Encoding.UTF8.GetBytes(ScmPayloads.GitHubPullRequest("opened", WebhookFixture.GitHubRepository, Number, "base0000500", "head0000500"));
    }

    private async Task<HttpStatusCode> SendAsync(HttpRequestMessage request)
    {
        using var client = fixture.Factory.CreateClient();
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task Any_one_byte_change_to_the_body_gets_401_and_stores_nothing()
    {
        var body = ValidBody();
        var signature = WebhookFixture.SignedGitHub(fixture.GitHub, "x", body).Headers.GetValues("X-Hub-Signature-256").Single();
        var before = await fixture.CountDeliveriesAsync(fixture.GitHub.Repository.Id);

        Check.One(Checks, Prop.ForAll(Gen.Choose(0, body.Length - 1).ToArbitrary(), Gen.Choose(1, 255).ToArbitrary(), (position, delta) =>
        {
            var tampered = (byte[])body.Clone();
            tampered[position] = (byte)(tampered[position] + delta);
            return SendAsync(WebhookFixture.SignedGitHub(fixture.GitHub, $"tamper-{position}-{delta}", tampered, signature: signature)).GetAwaiter().GetResult() == HttpStatusCode.Unauthorized;
        }));

        Assert.Equal(before, await fixture.CountDeliveriesAsync(fixture.GitHub.Repository.Id));
    }

    [Fact]
    public void Any_one_character_change_to_the_signature_gets_401()
    {
        var body = ValidBody();
        var signature = WebhookFixture.SignedGitHub(fixture.GitHub, "x", body).Headers.GetValues("X-Hub-Signature-256").Single();

        Check.One(Checks, Prop.ForAll(Gen.Choose(0, signature.Length - 1).ToArbitrary(), Gen.Elements("0123456789abcdefABCDEF=xs".ToCharArray()).ToArbitrary(), (position, replacement) =>
        {
            var chars = signature.ToCharArray();
            if (char.ToLowerInvariant(chars[position]) == char.ToLowerInvariant(replacement))
            {
                return true;
            }

            chars[position] = replacement;
            return SendAsync(WebhookFixture.SignedGitHub(fixture.GitHub, $"sig-{position}", body, signature: new string(chars))).GetAwaiter().GetResult() == HttpStatusCode.Unauthorized;
        }));
    }

    [Fact]
    public void Any_replayed_delivery_creates_nothing_new()
    {
        var body = ValidBody();

        Check.One(Checks, Prop.ForAll(Gen.Choose(1, int.MaxValue).ToArbitrary(), id =>
        {
            var deliveryId = $"replay-{id}-{Guid.NewGuid():N}";
            var first = SendAsync(WebhookFixture.SignedGitHub(fixture.GitHub, deliveryId, body)).GetAwaiter().GetResult();
            var afterFirst = fixture.CountDeliveriesAsync(fixture.GitHub.Repository.Id).GetAwaiter().GetResult();
            var replay = SendAsync(WebhookFixture.SignedGitHub(fixture.GitHub, deliveryId, body)).GetAwaiter().GetResult();
            return first == HttpStatusCode.Accepted && replay == HttpStatusCode.Accepted
                   && fixture.CountDeliveriesAsync(fixture.GitHub.Repository.Id).GetAwaiter().GetResult() == afterFirst;
        }));
    }

    [Fact]
    public void Random_and_truncated_json_with_a_valid_signature_never_gets_a_5xx()
    {
        var valid = Encoding.UTF8.GetString(ValidBody());
        var truncated = Gen.Choose(0, valid.Length - 1).Select(n => valid[..n]);
        var random = ArbMap.Default.GeneratorFor<string>().Select(s => s ?? "");
        var mangled = Gen.Choose(0, valid.Length - 1).SelectMany(i => Gen.Elements('{', '}', '"', ',', ':', '[', '\\', '\0').Select(c => valid[..i] + c + valid[(i + 1)..]));

        Check.One(Checks, Prop.ForAll(Gen.OneOf(truncated, random, mangled).ToArbitrary(), text =>
        {
            var status = SendAsync(WebhookFixture.SignedGitHub(fixture.GitHub, $"junk-{Guid.NewGuid():N}", Encoding.UTF8.GetBytes(text))).GetAwaiter().GetResult();
            return status is HttpStatusCode.BadRequest or HttpStatusCode.Accepted;
        }));
    }

    [Fact]
    public async Task A_missing_signature_gets_401()
    {
        var request = WebhookFixture.SignedGitHub(fixture.GitHub, "no-signature", ValidBody());
        request.Headers.Remove("X-Hub-Signature-256");

        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(request));
    }

    [Fact]
    public async Task A_body_over_25_megabytes_gets_413()
    {
        var body = new byte[(25 * 1024 * 1024) + 1];
        body.AsSpan().Fill((byte)' ');

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, await SendAsync(WebhookFixture.SignedGitHub(fixture.GitHub, "too-large", body)));
    }

    [Fact]
    public async Task An_unknown_repository_gets_404()
    {
        var request = WebhookFixture.SignedGitHub(fixture.GitHub, "unknown-repo", ValidBody());
        request.RequestUri = new Uri("/webhooks/github/999999", UriKind.Relative);

        Assert.Equal(HttpStatusCode.NotFound, await SendAsync(request));
    }

    [Fact]
    public async Task A_github_secret_does_not_open_the_gitlab_endpoint_and_a_wrong_gitlab_token_gets_401()
    {
        var body = ScmPayloads.GitLabMergeRequest("open", WebhookFixture.GitLabProject, 99, "glhead0099");

        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(WebhookFixture.GitLabHook(fixture.GitLab, body, fixture.GitHub.WebhookSecret, "k1", "u1")));
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(WebhookFixture.GitLabHook(fixture.GitLab, body, null, "k2", "u2")));
    }
}
