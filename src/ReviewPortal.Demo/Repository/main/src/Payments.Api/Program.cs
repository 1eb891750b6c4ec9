var builder = WebApplication.CreateBuilder(args);
builder.Services.AddNpgsqlDataSource(builder.Configuration.GetConnectionString("Payments")!);

var app = builder.Build();
app.MapGet("/health", () => Results.Ok("healthy"));
app.Run();
