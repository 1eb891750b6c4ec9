using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ReviewPortal.Web.Data.Configurations;

internal sealed class ApiClientConfiguration : IEntityTypeConfiguration<ApiClient>
{
    public void Configure(EntityTypeBuilder<ApiClient> builder)
    {
        builder.ToTable("api_clients");
        builder.Property(c => c.Name).HasMaxLength(200);
        builder.Property(c => c.KeyPrefix).HasMaxLength(32);
        builder.Property(c => c.KeyHash).HasMaxLength(64);
        builder.Property(c => c.CreatedBy).HasMaxLength(256);
        builder.Property(c => c.Scopes).HasConversion<int>();
        builder.HasIndex(c => c.KeyPrefix).IsUnique();
        builder.HasIndex(c => c.Name).IsUnique();
    }
}
