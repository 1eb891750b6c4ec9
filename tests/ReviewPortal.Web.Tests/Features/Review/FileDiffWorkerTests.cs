using System.Collections.Concurrent;
using Npgsql;
using Microsoft.Extensions.DependencyInjection;
using ReviewPortal.Domain.Diff;
using ReviewPortal.Testing;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Features.Review;

namespace ReviewPortal.Web.Tests.Features.Review;

public sealed class FileDiffWorkerTests(ReviewFixture fixture) : IClassFixture<ReviewFixture>
{
    private const string OldService = "public sealed class Totals\n{\n    public decimal Sum(decimal a, decimal b) => a + b;\n\n    public decimal Tax(decimal amount) => amount * 0.2m;\n}\n";
    private const string NewService = "public sealed class Totals\n{\n    public decimal Sum(decimal a, decimal b) => a + b;\n\n    public decimal Tax(decimal amount, decimal rate) => amount * rate;\n\n    public decimal Net(decimal gross) => gross / 1.2m;\n}\n";

    [Fact]
    public async Task A_pending_diff_is_computed_once_and_stored_as_a_script_that_reads_back_as_the_files_diff()
    {
        var id = await fixture.SubmitAsync("Worker: pending to ready", [("src/Totals.cs", OldService, NewService), ("docs/totals.md", null, "# Totals\n")]);
        Assert.All(await fixture.FilesAsync(id), f => Assert.Equal(FileDiffStatus.Pending, f.Diff!.Status));
        await using var listener = await ListenAsync();

        await fixture.DrainAsync();

        var files = await fixture.FilesAsync(id);
        var (service, serviceDiff) = files.Single(f => f.File.Path == "src/Totals.cs");
        Assert.Equal(FileDiffStatus.Ready, serviceDiff!.Status);
        var stored = FileDiff.Deserialize(serviceDiff.Script!);
        var expected = FileDiff.Compute(OldService, NewService);
        Assert.Equal(expected.Edits, stored.Edits);
        Assert.Equal(expected.ModifiedLines.Select(m => (m.OldLine, m.NewLine, string.Join(",", m.OldChanged), string.Join(",", m.NewChanged))),
            stored.ModifiedLines.Select(m => (m.OldLine, m.NewLine, string.Join(",", m.OldChanged), string.Join(",", m.NewChanged))));
        Assert.Equal((6, 8, service.Additions, service.Deletions), (serviceDiff.OldLineCount, serviceDiff.NewLineCount, stored.Additions, stored.Deletions));
        Assert.Equal(System.Text.Encoding.UTF8.GetByteCount(NewService), serviceDiff.ByteSize);
        Assert.Equal(expected.Hunks().Count, serviceDiff.HunkCount);
        Assert.Equal(1, serviceDiff.Attempts);
        Assert.NotNull(serviceDiff.ComputedAt);
        Assert.True(serviceDiff.ComputeMilliseconds >= 0);
        Assert.Null(serviceDiff.Error);

        var (_, docDiff) = files.Single(f => f.File.Path == "docs/totals.md");
        Assert.Equal((FileDiffStatus.Ready, 0, 1), (docDiff!.Status, docDiff.OldLineCount, docDiff.NewLineCount));

        // Pages hear of it on every instance: NOTIFY on the change channel.
        Assert.Contains($"{id}:DiffsReady", await listener.PayloadsAsync(Eventually.DefaultLimit, $"{id}:DiffsReady"));

        // Once ready, nothing is computed again.
        var computedAgain = 0;
        await fixture.DrainAsync(fixture.NewWorker((a, b) => { Interlocked.Increment(ref computedAgain); return FileDiff.Compute(a, b); }));
        Assert.Equal(0, computedAgain);
    }

    [Fact]
    public async Task A_failing_diff_is_retried_then_marked_failed_with_the_error_and_the_others_still_complete()
    {
        var marker = $"// explode {Guid.NewGuid():N}";
        var id = await fixture.SubmitAsync("Worker: failure", [("src/Bad.cs", "a\n", marker + "\n"), ("src/Good.cs", "a\n", "b\n")]);
        var worker = fixture.NewWorker((a, b) => b?.Contains(marker, StringComparison.Ordinal) == true ? throw new InvalidOperationException("engine blew up") : FileDiff.Compute(a, b));

        // Other pending files (the demo's) may come first: run batches until the bad file was tried once.
        FileDiffRecord bad;
        List<(ChangeFile File, FileDiffRecord? Diff)> afterFirst;
        do
        {
            await worker.ProcessBatchAsync(CancellationToken.None);
            afterFirst = await fixture.FilesAsync(id);
            bad = afterFirst.Single(f => f.File.Path == "src/Bad.cs").Diff!;
        }
        while (bad.Attempts == 0);

        Assert.Equal((FileDiffStatus.Pending, 1, "engine blew up"), (bad.Status, bad.Attempts, bad.Error));
        Assert.Equal(FileDiffStatus.Ready, afterFirst.Single(f => f.File.Path == "src/Good.cs").Diff!.Status);

        await fixture.DrainAsync(worker);

        bad = (await fixture.FilesAsync(id)).Single(f => f.File.Path == "src/Bad.cs").Diff!;
        Assert.Equal((FileDiffStatus.Failed, FileDiffWorker.MaxAttempts, "engine blew up"), (bad.Status, bad.Attempts, bad.Error));
        Assert.Null(bad.Script);

        // The page lists it as failed, with the reason.
        var model = await fixture.Services.GetRequiredService<ReviewQuery>().LoadAsync(id, null, null, null);
        var entry = model!.Files.Single(f => f.Path == "src/Bad.cs");
        Assert.Equal((DiffAvailability.Failed, "engine blew up"), (entry.Diff, entry.Error));
    }

    [Fact]
    public async Task Two_workers_draining_at_once_never_compute_one_file_twice()
    {
        var tag = Guid.NewGuid().ToString("N");
        var files = Enumerable.Range(0, 40).Select(i => ($"src/F{i}.cs", (string?)$"// {tag} {i}\nold\n", (string?)$"// {tag} {i}\nnew\n")).ToList();
        var id = await fixture.SubmitAsync("Worker: two instances", files);
        var computed = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        FileDiff Counting(string? a, string? b)
        {
            if (b?.Contains(tag, StringComparison.Ordinal) == true)
            {
                computed.AddOrUpdate(b, 1, (_, n) => n + 1);
                Thread.Sleep(15);
            }

            return FileDiff.Compute(a, b);
        }

        await Task.WhenAll(
            Task.Run(() => fixture.DrainAsync(fixture.NewWorker(Counting))),
            Task.Run(() => fixture.DrainAsync(fixture.NewWorker(Counting))));

        Assert.Equal(40, computed.Count);
        Assert.All(computed.Values, count => Assert.Equal(1, count));
        Assert.All(await fixture.FilesAsync(id), f => Assert.Equal(FileDiffStatus.Ready, f.Diff!.Status));
    }

    private async Task<Listener> ListenAsync()
    {
        var connection = await fixture.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        var listener = new Listener(connection);
        await using var command = new NpgsqlCommand($"LISTEN {Web.Infrastructure.Notifications.ChangeNotifier.Channel}", connection);
        await command.ExecuteNonQueryAsync();
        return listener;
    }

    private sealed class Listener : IAsyncDisposable
    {
        private readonly NpgsqlConnection _connection;
        private readonly ConcurrentQueue<string> _payloads = new();

        public Listener(NpgsqlConnection connection)
        {
            _connection = connection;
            _connection.Notification += (_, e) => _payloads.Enqueue(e.Payload);
        }

        public async Task<IReadOnlyCollection<string>> PayloadsAsync(TimeSpan timeout, string awaited)
        {
            using var cancellation = new CancellationTokenSource(timeout);
            while (!_payloads.Contains(awaited) && !cancellation.IsCancellationRequested)
            {
                try
                {
                    await _connection.WaitAsync(cancellation.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }

            return _payloads.ToArray();
        }

        public ValueTask DisposeAsync() => _connection.DisposeAsync();
    }
}
