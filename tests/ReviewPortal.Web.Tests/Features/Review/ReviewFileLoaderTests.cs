using ReviewPortal.Domain.Diff;
using ReviewPortal.Web.Features.Review;

namespace ReviewPortal.Web.Tests.Features.Review;

/// <summary>Which files' diffs the review page loads, and when, without rendering.</summary>
public sealed class ReviewFileLoaderTests
{
    private readonly List<string> loaded = [];

    private ReviewFileLoader NewLoader(Func<ReviewFileEntry, Exception?>? failure = null) =>
        new(entry =>
        {
            loaded.Add(entry.Path);
            if (failure?.Invoke(entry) is { } ex)
            {
                throw ex;
            }

            var diff = FileDiff.Compute("a\n", "b\nc\n");
            return Task.FromResult(new ReviewFileContent(["a"], ["b", "c"], diff));
        });

    private static ReviewFileEntry File(int index, DiffAvailability diff = DiffAvailability.Ready, int lines = 10, int? additions = 1, bool viewed = false) =>
        new(index, $"f{index}", $"src/File{index}.cs", null, ReviewFileKind.Modified, additions, additions, diff, lines, lines, 100, 1, null, viewed, index + 1);

    private static List<ReviewFileEntry> Files(int count) => Enumerable.Range(0, count).Select(i => File(i)).ToList();

    [Fact]
    public async Task The_first_files_with_a_diff_load_at_once_and_large_binary_or_pending_ones_wait()
    {
        var loader = NewLoader();
        loader.SetFiles([File(0, DiffAvailability.None), File(1, lines: ReviewFileEntry.LargeLineCount + 1), File(2, DiffAvailability.Pending), File(3), File(4), File(5)]);

        await loader.LoadWantedAsync();

        Assert.Equal(["src/File3.cs", "src/File4.cs"], loaded);
        Assert.True(loader.IsWanted(loader.Files[2]));
        Assert.False(loader.IsWanted(loader.Files[5]));
        Assert.NotNull(loader.StateOf(loader.Files[3])?.Content);
        Assert.Null(loader.StateOf(loader.Files[1]));
    }

    [Fact]
    public async Task A_pending_diff_loads_when_a_live_update_says_it_is_ready_and_loaded_files_are_not_loaded_again()
    {
        var loader = NewLoader();
        loader.SetFiles([File(0, DiffAvailability.Pending), File(1)]);
        await loader.LoadWantedAsync();
        Assert.Equal(["src/File1.cs"], loaded);

        loader.SetFiles([File(0), File(1)]);
        await loader.LoadWantedAsync();

        Assert.Equal(["src/File1.cs", "src/File0.cs"], loaded);
        Assert.False(loader.HasPending);
    }

    [Fact]
    public async Task A_file_jumped_to_is_rendered_and_loaded_and_says_it_is_loading_first()
    {
        var loader = NewLoader();
        loader.SetFiles(Files(100));
        var sawLoading = false;

        await loader.WantAsync(70, () => sawLoading = loader.StateOf(loader.Files[70])?.Loading == true);

        Assert.True(sawLoading);
        Assert.Equal(71, loader.RenderedCount);
        Assert.Contains("src/File70.cs", loaded);
    }

    [Fact]
    public async Task A_large_file_loads_only_when_asked()
    {
        var loader = NewLoader();
        loader.SetFiles([File(0, lines: ReviewFileEntry.LargeLineCount + 1)]);
        await loader.WantAsync(0);
        Assert.Empty(loaded);

        await loader.RequestLoadAsync(loader.Files[0]);

        Assert.Equal(["src/File0.cs"], loaded);
        Assert.True(loader.IsLoadRequested(loader.Files[0]));
    }

    [Fact]
    public async Task A_file_whose_contents_are_gone_shows_why_and_an_interdiff_gets_its_stats_from_the_loaded_diff()
    {
        var loader = NewLoader(e => e.Index == 0 ? new ReviewFileUnavailableException("The stored contents of src/File0.cs are gone.") : null);
        loader.SetFiles([File(0), File(1, additions: null)]);

        await loader.LoadWantedAsync();

        Assert.Equal("The stored contents of src/File0.cs are gone.", loader.StateOf(loader.Files[0])?.Error);
        Assert.Equal((2, 1), (loader.Files[1].Additions, loader.Files[1].Deletions));
    }

    [Fact]
    public void Files_render_in_chunks_and_viewed_marks_change_the_list()
    {
        var loader = NewLoader();
        loader.SetFiles(Files(120));
        Assert.Equal(ReviewFileLoader.FirstRenderedFiles, loader.RenderedFiles.Count);

        Assert.True(loader.RenderMore());
        Assert.True(loader.RenderMore());
        Assert.False(loader.RenderMore());
        Assert.False(loader.RenderMore());
        Assert.Equal(120, loader.RenderedFiles.Count);

        loader.MarkViewed(loader.Files[3], viewed: true);
        Assert.Equal([3], loader.Files.Where(f => f.Viewed).Select(f => f.Index));
    }
}
