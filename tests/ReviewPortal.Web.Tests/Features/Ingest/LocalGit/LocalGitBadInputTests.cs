using System.Globalization;
using Microsoft.EntityFrameworkCore;
using ReviewPortal.Domain.Changes;

namespace ReviewPortal.Web.Tests.Features.Ingest.LocalGit;

/// <summary>Files that are not valid UTF-8 are stored with U+FFFD where they broke, and the change says so.</summary>
[Trait("Category", "BadInput")]
public sealed class LocalGitBadInputTests(LocalGitFixture fixture) : IClassFixture<LocalGitFixture>
{
    [Fact]
    public async Task A_latin_1_file_is_stored_with_replacement_characters_and_a_note_and_a_file_with_a_late_nul_is_binary()
    {
        using var repo = await TestGitRepository.CreateAsync();
        await repo.CommitAsync("base", ("docs/menu.txt", "menu\n"));
        await repo.CheckoutNewAsync("agent/latin-1");
        await repo.CommitBytesAsync("Translate the menu", "agent@agents.acme.test",
            ("docs/menu.txt", [.. "caf"u8, 0xE9, (byte)'\n']), ("assets/icon.bin", [.. "text for 9000 bytes"u8, .. new byte[9000], 0]));
        var repository = await fixture.RegisterAsync(repo.Path);

        await fixture.TriggerAsync(repository.Id.ToString(CultureInfo.InvariantCulture));

        var change = await fixture.EventuallyAsync(db => db.Changes.AsNoTracking().Include(c => c.Events).Include(c => c.Revisions).ThenInclude(r => r.Files)
            .AsSplitQuery().FirstOrDefaultAsync(c => c.RepositoryId == repository.Id));
        var files = Assert.Single(change.Revisions).Files.ToDictionary(f => f.Path, StringComparer.Ordinal);
        Assert.Equal(("menu\n", "caf\uFFFD\n", false), (files["docs/menu.txt"].OldContent, files["docs/menu.txt"].NewContent, files["docs/menu.txt"].IsBinary));
        Assert.True(files["assets/icon.bin"].IsBinary);
        var note = Assert.Single(change.Events, e => e.Kind == ChangeEventKind.TextRepaired).Detail;
        Assert.Contains("new content of docs/menu.txt", note, StringComparison.Ordinal);
        Assert.DoesNotContain("icon.bin", note, StringComparison.Ordinal);
    }
}
