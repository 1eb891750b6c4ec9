using ReviewPortal.Domain.Provenance;

namespace ReviewPortal.Domain.Tests.Provenance;

public sealed class ProvenanceTrailersTests
{
    [Fact]
    public void Trailers_in_the_last_paragraph_are_read_with_case_insensitive_keys_and_trimmed_values()
    {
        const string description = """
            Fix rounding in invoices.

            Agent-Session:   sess_123
            model: claude-sonnet-4.5
            PROMPTER: dana@acme.test
            Agent-Tool: claude-code
            Model-Params-Hash: sha256:abc123
            """;

        Assert.Equal(new ProvenanceTrailers("sess_123", "claude-sonnet-4.5", "dana@acme.test", "claude-code", "sha256:abc123"), ProvenanceTrailers.Parse(description));
    }

    [Fact]
    public void A_trailer_block_followed_by_a_template_checklist_is_still_read()
    {
        const string description = "Summary\n\nAgent-Session: sess_9\nModel: m1\n\n## Checklist\n- [x] tests\n";

        Assert.Equal(new ProvenanceTrailers("sess_9", "m1"), ProvenanceTrailers.Parse(description));
    }

    [Fact]
    public void The_last_occurrence_wins()
    {
        const string description = "Agent-Session: old\n\ntext\n\nAgent-Session: new\nModel: a\nModel: b\n";

        Assert.Equal(new ProvenanceTrailers("new", "b"), ProvenanceTrailers.Parse(description));
    }

    [Fact]
    public void Lines_inside_fenced_code_blocks_are_not_trailers()
    {
        const string description = "Add trailers like this:\n\n```text\nAgent-Session: example\n```\n\n~~~~\nModel: example\n```\nPrompter: still inside\n~~~~\n";

        Assert.True(ProvenanceTrailers.Parse(description).IsEmpty);
    }

    [Fact]
    public void Trailer_like_lines_in_a_prose_paragraph_are_not_trailers()
    {
        const string description = "We looked at this closely.\nModel: the new one is faster\nPrompter: unknown\n";

        Assert.True(ProvenanceTrailers.Parse(description).IsEmpty);
    }

    [Fact]
    public void Indented_lines_continue_a_value_and_empty_values_and_unknown_keys_are_ignored()
    {
        const string description = "Signed-off-by: Dana <dana@acme.test>\nModel: claude\n  sonnet 4.5\nAgent-Session:\r\nAgent-Tool: aider\r\n";

        Assert.Equal(new ProvenanceTrailers(Model: "claude sonnet 4.5", AgentTool: "aider"), ProvenanceTrailers.Parse(description));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("```\nAgent-Session: x")]
    [InlineData(": no key")]
    public void Missing_or_odd_descriptions_give_no_trailers(string? description) =>
        Assert.True(ProvenanceTrailers.Parse(description).IsEmpty);

    [Fact]
    public void Format_writes_one_line_per_present_value_in_a_fixed_order()
    {
        var trailers = new ProvenanceTrailers(AgentSession: "s1", Prompter: "dana@acme.test", ModelParamsHash: "sha256:ff");

        Assert.Equal("Agent-Session: s1\nPrompter: dana@acme.test\nModel-Params-Hash: sha256:ff\n", trailers.Format());
        Assert.Equal("Model: a b\n", new ProvenanceTrailers(Model: " a\nb ").Format());
    }

    [Fact]
    public void A_bundle_from_trailers_carries_what_trailers_can()
    {
        var bundle = ProvenanceBundle.FromTrailers(new ProvenanceTrailers("s1", "m", "p", "t", "h"));

        Assert.Equal(("s1", "m", "p", "t", "h"), (bundle.AgentSessionId, bundle.ModelVersion, bundle.Prompter, bundle.AgentTool, bundle.ModelParametersHash));
        Assert.True(bundle.HasSession);
        Assert.Null(bundle.Tests);
    }

    [Theory]
    [InlineData(10, 0, 2, true)]
    [InlineData(10, 1, 0, false)]
    [InlineData(0, 0, 5, false)]
    public void Tests_pass_only_when_some_ran_and_none_failed(int passed, int failed, int skipped, bool allPassed)
    {
        var results = new TestResults(passed, failed, skipped);

        Assert.Equal(allPassed, results.AllPassed);
        Assert.Equal(passed + failed + skipped, results.Total);
    }
}
