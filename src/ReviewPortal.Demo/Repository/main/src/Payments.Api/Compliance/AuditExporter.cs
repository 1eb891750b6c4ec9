namespace Compliance.Export;

public sealed class AuditExporter(NpgsqlDataSource db)
{
    public async Task ExportAsync(Stream output, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("SELECT id, actor, action, at FROM audit_events ORDER BY id");
        var rows = new List<AuditRow>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rows.Add(AuditRow.Read(reader));
        }

        await CsvWriter.WriteAsync(output, rows, ct);
    }
}