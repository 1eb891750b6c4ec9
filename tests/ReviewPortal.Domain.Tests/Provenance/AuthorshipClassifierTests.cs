using ReviewPortal.Domain.Provenance;

namespace ReviewPortal.Domain.Tests.Provenance;

public sealed class AuthorshipClassifierTests
{
    private static readonly AuthorshipPolicy Policy = new(["*[bot]", "acme-agent", "ci-*-runner"], ["ai-generated"]);

    [Fact]
    public void Submitted_provenance_makes_a_change_agent_authored_and_traced_with_a_session()
    {
        var result = AuthorshipClassifier.Classify(Policy, new AuthorshipEvidence("dana", SubmittedProvenance: new ProvenanceBundle(AgentSessionId: "sess_1")));

        Assert.Equal(new AuthorshipResult(true, "provenance submitted through the API", false), result);
    }

    [Fact]
    public void Trailers_in_the_description_make_a_change_agent_authored()
    {
        var result = AuthorshipClassifier.Classify(AuthorshipPolicy.None, new AuthorshipEvidence("dana", Description: "Fix\n\nAgent-Session: s2\nModel: m\n"));

        Assert.Equal(new AuthorshipResult(true, "provenance trailers in the description", false), result);
    }

    [Theory]
    [InlineData("dependabot[bot]", "*[bot]")]
    [InlineData("Renovate[BOT]", "*[bot]")]
    [InlineData("ACME-Agent", "acme-agent")]
    [InlineData("ci-linux-runner", "ci-*-runner")]
    public void An_agent_account_makes_a_change_agent_authored_and_without_a_session_untraced(string author, string pattern)
    {
        var result = AuthorshipClassifier.Classify(Policy, new AuthorshipEvidence(author));

        Assert.True(result.IsAgentAuthored);
        Assert.True(result.IsUntraced);
        Assert.Equal($"author '{author}' matches agent account '{pattern}'; no agent session id (untraced)", result.Reason);
    }

    [Fact]
    public void A_configured_label_makes_a_change_agent_authored()
    {
        var result = AuthorshipClassifier.Classify(Policy, new AuthorshipEvidence("dana", ["bug", "AI-Generated"]));

        Assert.True(result.IsAgentAuthored);
        Assert.StartsWith("label 'AI-Generated' marks agent changes", result.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("dana")]
    [InlineData("bot")]
    [InlineData("acme-agent-2")]
    [InlineData("ci--runner-x")]
    public void Everyone_else_is_human_and_never_untraced(string author)
    {
        var result = AuthorshipClassifier.Classify(Policy, new AuthorshipEvidence(author, ["bug"], Description: "Model: prose line\nin a paragraph"));

        Assert.Equal(new AuthorshipResult(false, "no provenance, agent account or agent label: human-authored", false), result);
    }

    [Fact]
    public void A_session_in_the_trailers_traces_an_agent_account_change()
    {
        var result = AuthorshipClassifier.Classify(Policy, new AuthorshipEvidence("dependabot[bot]", Description: "Agent-Session: s3"));

        Assert.False(result.IsUntraced);
    }
}
