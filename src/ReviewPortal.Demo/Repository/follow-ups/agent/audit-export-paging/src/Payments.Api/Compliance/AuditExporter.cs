namespace Compliance.Export;

public sealed class AuditExporter(NpgsqlDataSource db)
{
    private const int PageSize = 5000;

    public async Task ExportAsync(Stream output, CancellationToken ct)
    {
        long after = 0;
        while (true)
        {
            await using var cmd = db.CreateCommand("SELECT id, actor, action, at FROM audit_events WHERE id > $1 ORDER BY id LIMIT $2");
            cmd.Parameters.AddWithValue(after);
            cmd.Parameters.AddWithValue(PageSize);
            var page = new List<AuditRow>(PageSize);
            await using (var reader = await cmd.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    page.Add(AuditRow.Read(reader));
                }
            }

            if (page.Count == 0)
            {
                return;
            }

            await CsvWriter.WriteAsync(output, page, ct);
            if (page.Count < PageSize)
            {
                // A short page is the last one.
                return;
            }

            after = page[^1].Id;
        }
    }
}