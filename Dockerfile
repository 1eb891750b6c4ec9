# ReviewPortal container image: build with the .NET 10 SDK, run on the ASP.NET Core 10 runtime as non-root.
# Used by docker-compose.yml. The app needs ConnectionStrings__Portal (there is no PostgreSQL in this image),
# Ingest__ApiKey and DataProtection__CertificatePath. Only the portal is published: the demo (src/ReviewPortal.Demo)
# is not part of the image.

# global.json asks for SDK 10.0.401 or a later feature band: the floating sdk:10.0 tag must provide that.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
# The review page's script is bundled at build time with npm and esbuild (docs/decisions/0017).
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*
WORKDIR /src

# Restore first, from the files that decide it, so the package layer is cached across source edits.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/ReviewPortal.Domain/ReviewPortal.Domain.csproj src/ReviewPortal.Domain/
COPY src/ReviewPortal.Web/ReviewPortal.Web.csproj src/ReviewPortal.Web/
COPY src/ReviewPortal.Web/Build/ src/ReviewPortal.Web/Build/
RUN dotnet restore src/ReviewPortal.Web/ReviewPortal.Web.csproj

COPY . .
RUN dotnet publish src/ReviewPortal.Web/ReviewPortal.Web.csproj -c Release -o /app/publish --no-restore \
    -p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
ENV ASPNETCORE_HTTP_PORTS=8080
# Owned by root and read-only to the app user.
COPY --from=build /app/publish .
# The folder of the Data Protection key-encryption certificate is a volume in docker-compose.yml; it must exist and
# belong to the app user.
RUN mkdir -p /home/app/.aspnet/DataProtection-Keys && chown -R "$APP_UID" /home/app/.aspnet
# The image's non-root `app` user.
USER $APP_UID
EXPOSE 8080
# The image has no curl: GET /health over bash's /dev/tcp; the app answers `Healthy` when the database is reachable.
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=10 \
    CMD bash -c 'exec 3<>/dev/tcp/127.0.0.1/8080 && printf "GET /health HTTP/1.0\r\nHost: localhost\r\n\r\n" >&3 && grep -q Healthy <&3'
ENTRYPOINT ["dotnet", "ReviewPortal.Web.dll"]
