using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace ReviewPortal.Web.Data;

/// <summary>
/// Used by <c>dotnet ef migrations add</c>, so scaffolding a migration neither starts the app (and its local
/// PostgreSQL) nor needs a server: adding a migration never connects.
/// </summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<PortalDbContext>
{
    public PortalDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PortalDbContext>()
            .UseNpgsql(Environment.GetEnvironmentVariable("ConnectionStrings__Portal") ?? "Host=127.0.0.1;Database=reviewportal_design")
            .Options);
}
