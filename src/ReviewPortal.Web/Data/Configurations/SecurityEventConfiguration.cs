using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ReviewPortal.Web.Data.Configurations;

internal sealed class SecurityEventConfiguration : IEntityTypeConfiguration<SecurityEvent>
{
    public void Configure(EntityTypeBuilder<SecurityEvent> builder)
    {
        builder.ToTable("security_events");
        builder.Property(e => e.Kind).HasConversion<string>().HasMaxLength(40);
        builder.Property(e => e.UserId).HasMaxLength(450);
        builder.Property(e => e.UserName).HasMaxLength(256);
        builder.Property(e => e.Detail).HasMaxLength(1000);
        // An IPv6 address with a zone fits in 64 characters.
        builder.Property(e => e.RemoteAddress).HasMaxLength(64);
        // No foreign key to the account: the record outlives a deleted account, and names an unknown one too.
        builder.HasIndex(e => e.At);
        builder.HasIndex(e => new { e.Kind, e.At });
    }
}
