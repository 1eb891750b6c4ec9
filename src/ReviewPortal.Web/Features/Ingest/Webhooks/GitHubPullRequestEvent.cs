using System.Text.Json.Serialization;

namespace ReviewPortal.Web.Features.Ingest.Webhooks;

/// <summary>
/// The parts of GitHub's <c>pull_request</c> webhook payload the portal reads. Members without a default are required
/// and non-nullable ones may not be null: <see cref="WebhookPayload"/> enforces both.
/// </summary>
public sealed record GitHubPullRequestEvent(
    [property: JsonPropertyName("action")] string Action,
    [property: JsonPropertyName("number")] int Number,
    [property: JsonPropertyName("pull_request")] GitHubPullRequest PullRequest);

public sealed record GitHubPullRequest(
    [property: JsonPropertyName("number")] int Number,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("user")] GitHubUser User,
    [property: JsonPropertyName("head")] GitHubRef Head,
    [property: JsonPropertyName("base")] GitHubRef Base,
    [property: JsonPropertyName("body")] string? Body = null,
    [property: JsonPropertyName("html_url")] string? HtmlUrl = null,
    [property: JsonPropertyName("merged")] bool? Merged = null,
    [property: JsonPropertyName("labels")] IReadOnlyList<GitHubLabel>? Labels = null);

public sealed record GitHubUser([property: JsonPropertyName("login")] string Login);

public sealed record GitHubRef([property: JsonPropertyName("sha")] string Sha, [property: JsonPropertyName("ref")] string Ref);

public sealed record GitHubLabel([property: JsonPropertyName("name")] string Name);
