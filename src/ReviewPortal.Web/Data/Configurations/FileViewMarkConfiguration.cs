using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ReviewPortal.Web.Data.Configurations;

internal sealed class FileViewMarkConfiguration : IEntityTypeConfiguration<FileViewMark>
{
    public void Configure(EntityTypeBuilder<FileViewMark> builder)
    {
        builder.ToTable("file_view_marks");
        builder.HasKey(m => new { m.UserId, m.FileId });
        builder.Property(m => m.UserId).HasMaxLength(450);
        builder.HasOne<ChangeFile>().WithMany().HasForeignKey(m => m.FileId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<PortalUser>().WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
