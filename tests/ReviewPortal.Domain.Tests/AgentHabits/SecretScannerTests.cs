using ReviewPortal.Domain.AgentHabits;
using ReviewPortal.Domain.Diff;

namespace ReviewPortal.Domain.Tests.AgentHabits;

public sealed class SecretScannerTests
{
    // Tokens are assembled at run time so that this file does not itself trip secret scanners (ours included).
    private static readonly string AwsKey = "AKIA" + "IOSFODNN7EXAMPLE";
    private static readonly string GitHubToken = "ghp_" + "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5";
    private static readonly string GitLabToken = "glpat-" + "x8Kq2Lm9Np4Rt7Vw1Yz3";
    private static readonly string SlackToken = "xoxb-" + "1234567890-abcdefghij";
    private static readonly string StripeKey = "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc";
    private static readonly string Jwt = "eyJ" + "hbGciOiJIUzI1NiJ9.eyJ" + "zdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
    private static readonly string FineGrainedPat = "github_pat_" + "11ABCDEFG0123456789abc_defghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ";

    private static List<AgentFinding> ScanAdded(string path, string newContent) =>
        SecretScanner.Scan([FileLineChanges.Compute(path, null, newContent)]).ToList();

    public static TheoryData<string, string> KnownTokens => new()
    {
        { AwsKey, "AWS access key id" },
        { GitHubToken, "GitHub token" },
        { FineGrainedPat, "GitHub fine-grained token" },
        { GitLabToken, "GitLab token" },
        { SlackToken, "Slack token" },
        { StripeKey, "Stripe live key" },
        { Jwt, "JSON web token" },
    };

    [Theory]
    [MemberData(nameof(KnownTokens))]
    public void Known_token_formats_in_added_lines_are_found_with_line_and_masked_detail(string token, string label)
    {
        var finding = Assert.Single(ScanAdded("src/Config.cs", $"var a = 1;\nvar key = {token};\n"), f => f.Detail.StartsWith(label + " ", StringComparison.Ordinal));

        Assert.Equal(AgentFindingKind.Secret, finding.Kind);
        Assert.Equal("src/Config.cs", finding.Path);
        Assert.Equal(2, finding.Line);
        Assert.Equal($"{label} {token[..4]}...", finding.Detail);
        Assert.DoesNotContain(token[..5], finding.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_private_key_header_is_found_without_quoting_the_key()
    {
        var findings = ScanAdded("deploy/id_rsa", "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----\n");

        var finding = Assert.Single(findings);
        Assert.Equal(1, finding.Line);
        Assert.Equal("private key block (RSA PRIVATE KEY)", finding.Detail);
    }

    [Fact]
    public void Secrets_in_removed_lines_are_not_findings_since_removing_them_is_the_fix() =>
        Assert.Empty(SecretScanner.Scan([FileLineChanges.Compute("a.cs", $"var k = \"{AwsKey}\";\n", "var k = Env(\"KEY\");\n")]));

    [Theory]
    [InlineData("\"Kx9mQ2vL7pR4tW8zB3nF6hJ1\"")]
    [InlineData("'aZ4kP9qW2xN7mR5tV8bC1dF6gH3jL0s'")]
    [InlineData("\"3f8a9c2e7b1d4f6a0e5c8b2d9f1a7e4c\"")]
    public void High_entropy_string_literals_are_secrets(string literal)
    {
        var finding = Assert.Single(ScanAdded("src/Client.cs", $"client.ApiKey = {literal};\n"));

        var token = literal.Trim('"', '\'');
        Assert.Equal($"high-entropy string {token[..4]}...", finding.Detail);
    }

    [Theory]
    [InlineData("// This change makes the login page remember the last used provider for the user.")]
    [InlineData("var names = orders.Where(o => o.Total > 10).Select(o => o.Customer.Name).ToList();")]
    [InlineData("var id = Guid.Parse(\"3F2504E0-4F89-11D3-9A0C-0305E82C3301\");")]
    [InlineData("var id = \"{6f9619ff-8b86-d011-b42d-00cf4fc964ff}\";")]
    [InlineData("<PackageVersion Include=\"Microsoft.AspNetCore.Mvc.Testing\" Version=\"10.0.14-preview.3.25171.5\" />")]
    [InlineData("const path = \"src/components/UserProfileCard.tsx\";")]
    [InlineData("throw new InvalidOperationException(\"AbstractSingletonProxyFactoryBean\");")]
    [InlineData("<script src=\"x.js\" integrity=\"sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC\"></script>")]
    [InlineData("var zeros = \"00000000000000000000000000\";")]
    [InlineData("var version = \"1.2.3-beta.4+build.567890\";")]
    [InlineData("logger.LogInformation(\"OrderServiceConfigurationLoaded\");")]
    [InlineData("var apiKey = configuration[\"Payments:ApiKey\"];")]
    public void Ordinary_code_prose_guids_and_versions_are_not_secrets(string line) =>
        Assert.Empty(ScanAdded("src/Code.cs", line + "\n"));

    [Fact]
    public void Lock_files_are_not_scanned_for_entropy_since_integrity_hashes_are_public() =>
        Assert.Empty(ScanAdded("package-lock.json", "\"integrity\": \"Kx9mQ2vL7pR4tW8zB3nF6hJ1aZ4kP9qW\",\n"));

    [Fact]
    public void Entropy_is_measured_in_bits_per_character()
    {
        Assert.Equal(0, SecretScanner.ShannonEntropy("aaaaaaaa"));
        Assert.Equal(1, SecretScanner.ShannonEntropy("abababab"), 6);
        Assert.Equal(4, SecretScanner.ShannonEntropy("0123456789abcdef"), 6);
    }

    [Theory]
    [InlineData("abcdefgh", "abcd...")]
    [InlineData("abc", "***")]
    public void Masking_shows_at_most_four_characters(string secret, string masked) =>
        Assert.Equal(masked, SecretScanner.Mask(secret));

    [Fact]
    public void Redact_replaces_each_secret_in_a_line_with_its_mask()
    {
        var redacted = SecretScanner.Redact($"aws = \"{AwsKey}\"; gh = \"{GitHubToken}\"");

        Assert.Equal("aws = \"AKIA...\"; gh = \"ghp_...\"", redacted);
    }
}
