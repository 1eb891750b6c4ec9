using ReviewPortal.Domain.Provenance;

namespace ReviewPortal.Domain.Tests.Provenance;

public sealed class AuthorshipClassifierTests
{
    private static readonly AuthorshipPolicy Policy = new(["*[bot]", "acme-agent", "ci-*-runner"], ["ai-generated"]);

    [Fact]
    public void Submitted_provenance_makes_a_change_agent_authored()
    {
        var result = AuthorshipClassifier.Classify(Policy, new AuthorshipEvidence("dana", SubmittedProvenance: new ProvenanceBundle(AgentSessionId: "sess_1")));

        Assert.Equal(new AuthorshipResult(true, "provenance submitted through the API"), result);
    }

    [Fact]
    public void Trailers_in_the_description_make_a_change_agent_authored()
    {
        var result = AuthorshipClassifier.Classify(AuthorshipPolicy.None, new AuthorshipEvidence("dana", Description: "Fix\n\nAgent-Session: s2\nModel: m\n"));

        Assert.Equal(new AuthorshipResult(true, "provenance trailers in the description"), result);
    }

    [Theory]
    [InlineData("dependabot[bot]", "*[bot]")]
    [InlineData("Renovate[BOT]", "*[bot]")]
    [InlineData("ACME-Agent", "acme-agent")]
    [InlineData("ci-linux-runner", "ci-*-runner")]
    public void An_agent_account_makes_a_change_agent_authored(string author, string pattern)
    {
        var result = AuthorshipClassifier.Classify(Policy, new AuthorshipEvidence(author));

        Assert.True(result.IsAgentAuthored);
        Assert.Equal($"author '{author}' matches agent account '{pattern}'", result.Reason);
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
    public void Everyone_else_is_human(string author)
    {
        var result = AuthorshipClassifier.Classify(Policy, new AuthorshipEvidence(author, ["bug"], Description: "Model: prose line\nin a paragraph"));

        Assert.Equal(new AuthorshipResult(false, "no provenance, agent account or agent label: human-authored"), result);
    }

    [Fact]
    public void Trailers_outrank_an_agent_account_as_the_reason()
    {
        var result = AuthorshipClassifier.Classify(Policy, new AuthorshipEvidence("dependabot[bot]", Description: "Agent-Session: s3"));

        Assert.Equal(new AuthorshipResult(true, "provenance trailers in the description"), result);
    }

    [Fact]
    public void Trailers_an_earlier_commit_carried_keep_a_change_agent_authored_when_a_later_one_has_none()
    {
        var result = AuthorshipClassifier.Classify(AuthorshipPolicy.None,
            new AuthorshipEvidence("dana", Description: "Tidy up", KnownTrailers: new ProvenanceTrailers(AgentSession: "sess_earlier")));

        Assert.Equal(new AuthorshipResult(true, "provenance trailers in the description"), result);
    }
}
