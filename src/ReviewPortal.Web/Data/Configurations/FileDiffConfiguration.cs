using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ReviewPortal.Web.Data.Configurations;

internal sealed class FileDiffConfiguration : IEntityTypeConfiguration<FileDiffRecord>
{
    public void Configure(EntityTypeBuilder<FileDiffRecord> builder)
    {
        builder.ToTable("file_diffs");
        builder.HasKey(d => d.FileId);
        builder.Property(d => d.FileId).ValueGeneratedNever();
        builder.Property(d => d.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(d => d.Error).HasMaxLength(2000);
        // The worker's queue: only pending rows are indexed.
        builder.HasIndex(d => d.FileId).HasDatabaseName("IX_file_diffs_pending").HasFilter("\"Status\" = 'Pending'");
    }
}
