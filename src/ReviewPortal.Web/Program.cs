using ReviewPortal.Web.Data;
using ReviewPortal.Web.Features.Account;
using ReviewPortal.Web.Features.Admin;
using ReviewPortal.Web.Features.Decisions;
using ReviewPortal.Web.Features.Ingest;
using ReviewPortal.Web.Features.Ingest.LocalGit;
using ReviewPortal.Web.Features.Ingest.Webhooks;
using ReviewPortal.Web.Features.Queue;
using ReviewPortal.Web.Features.Review;
using ReviewPortal.Web.Infrastructure;
using ReviewPortal.Web.Infrastructure.Demo;
using ReviewPortal.Web.Infrastructure.Notifications;
using ReviewPortal.Web.Infrastructure.Security;

var builder = WebApplication.CreateBuilder(args);

await builder.AddPortalDataAsync();
builder.Services
    .AddPortalWebUi()
    .AddPortalNotifications()
    .AddPortalDataProtection()
    .AddPortalAccounts()
    .AddPortalAdmin()
    .AddPortalIngest()
    .AddPortalWebhooks(builder.Configuration)
    .AddPortalLocalGit(builder.Configuration)
    .AddPortalQueue()
    .AddPortalReview(builder.Configuration)
    .AddPortalDecisions()
    .AddPortalDemoData();

var app = builder.Build();

await app.MigratePortalDatabaseAsync();
await app.SeedPortalDataAsync();

app.UsePortalPipeline();
app.MapPortalWebUi();
app.MapPortalAccounts();
app.MapPortalIngest();
app.MapPortalQueue();
app.MapPortalWebhooks();
app.MapPortalAdmin();
app.MapPortalLocalGit();

await app.RunAsync();

/// <summary>Entry point; public so integration tests can host it with WebApplicationFactory.</summary>
public partial class Program;
