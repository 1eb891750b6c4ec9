using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ReviewPortal.Web.Data.Configurations;

internal sealed class ChangeFileConfiguration : IEntityTypeConfiguration<ChangeFile>
{
    public void Configure(EntityTypeBuilder<ChangeFile> builder)
    {
        builder.ToTable("change_files");
        builder.Property(f => f.Path).HasMaxLength(1024);
        builder.Property(f => f.PreviousPath).HasMaxLength(1024);
        builder.HasIndex(f => new { f.RevisionId, f.Path }).IsUnique();
        builder.HasOne(f => f.Diff).WithOne().HasForeignKey<FileDiffRecord>(d => d.FileId).OnDelete(DeleteBehavior.Cascade);
    }
}
