using ReviewPortal.Web.Infrastructure;

var builder = WebApplication.CreateBuilder(args);
await builder.AddPortalAsync();
await builder.Build().RunPortalAsync();

/// <summary>Entry point; public so integration tests can host it with WebApplicationFactory.</summary>
public partial class Program;
