using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ReviewPortal.Web.Data.Configurations;

internal sealed class ChangeEventConfiguration : IEntityTypeConfiguration<ChangeEvent>
{
    public void Configure(EntityTypeBuilder<ChangeEvent> builder)
    {
        builder.ToTable("change_events");
        builder.Property(e => e.Kind).HasMaxLength(50);
        builder.Property(e => e.Detail).HasMaxLength(4000);
        builder.HasIndex(e => new { e.ChangeId, e.At });
    }
}
