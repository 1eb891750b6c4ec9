using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ReviewPortal.Web.Data.Configurations;

internal sealed class ChangeEventConfiguration : IEntityTypeConfiguration<ChangeEvent>
{
    public void Configure(EntityTypeBuilder<ChangeEvent> builder)
    {
        builder.ToTable("change_events");
        // By name: the rows stay readable to people and to SQL, and the enum can grow in any order.
        builder.Property(e => e.Kind).HasConversion<string>().HasMaxLength(50);
        builder.Property(e => e.Detail).HasMaxLength(4000);
        builder.HasIndex(e => new { e.ChangeId, e.At });
    }
}
