using System.Security.Cryptography;
using System.Text;

namespace ReviewPortal.Domain.Webhooks;

/// <summary>
/// Webhook authenticity checks, done over the raw bytes before anything is parsed, and always in constant time
/// so a caller cannot learn a secret byte by byte from response timing.
/// </summary>
public static class WebhookSignature
{
    private const string GitHubPrefix = "sha256=";

    /// <summary>The value GitHub sends in <c>X-Hub-Signature-256</c>: "sha256=" + hex HMAC-SHA256 of the body.</summary>
    public static string ComputeGitHub(ReadOnlySpan<byte> secret, ReadOnlySpan<byte> body) =>
        GitHubPrefix + Convert.ToHexStringLower(HMACSHA256.HashData(secret, body));

    /// <summary>True when <paramref name="header"/> is "sha256=" + the hex HMAC-SHA256 of <paramref name="body"/> under <paramref name="secret"/>.</summary>
    public static bool IsValidGitHub(ReadOnlySpan<byte> secret, ReadOnlySpan<byte> body, string? header)
    {
        if (header is null || header.Length != GitHubPrefix.Length + 64 || !header.StartsWith(GitHubPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        Span<byte> presented = stackalloc byte[32];
        if (Convert.FromHexString(header.AsSpan(GitHubPrefix.Length), presented, out _, out var written) != System.Buffers.OperationStatus.Done || written != 32)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[32];
        HMACSHA256.HashData(secret, body, expected);
        return CryptographicOperations.FixedTimeEquals(expected, presented);
    }

    /// <summary>GitLab sends the secret itself in <c>X-Gitlab-Token</c>; compared over hashes so the length leaks nothing either.</summary>
    public static bool IsValidGitLab(string secret, string? token)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (token is null)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(secret)), SHA256.HashData(Encoding.UTF8.GetBytes(token)));
    }
}
