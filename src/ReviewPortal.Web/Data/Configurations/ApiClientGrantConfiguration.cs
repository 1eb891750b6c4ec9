using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ReviewPortal.Web.Data.Configurations;

internal sealed class ApiClientGrantConfiguration : IEntityTypeConfiguration<ApiClientGrant>
{
    public void Configure(EntityTypeBuilder<ApiClientGrant> builder)
    {
        builder.ToTable("api_client_grants");
        builder.HasKey(g => new { g.ApiClientId, g.RepositoryId });
        builder.Property(g => g.GrantedBy).HasMaxLength(256);
        builder.HasOne<ApiClient>().WithMany().HasForeignKey(g => g.ApiClientId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(g => g.Repository).WithMany().HasForeignKey(g => g.RepositoryId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(g => g.RepositoryId);
    }
}
