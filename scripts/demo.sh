#!/usr/bin/env bash
# Runs ReviewPortal with realistic demo data: the demo host (src/ReviewPortal.Demo) is the portal plus the demo's
# accounts and git repository. With no ConnectionStrings__Portal set, the portal starts its own PostgreSQL (data in
# .local/postgres, kept between runs) and stops it on Ctrl+C.
set -euo pipefail
cd "$(dirname "$0")/.."

url="${REVIEWPORTAL_URL:-http://127.0.0.1:5080}"
dotnet tool restore >/dev/null

echo "Building ReviewPortal (first run restores packages; this takes a minute)..."
dotnet build src/ReviewPortal.Demo -c Release -nologo -v quiet

echo
echo "Starting ReviewPortal with the demo data; it says where to sign in once it is listening."
echo "Demo changes are the branches of the git repository .local/demo-repo (created on first run); commit there and they update."
echo
ASPNETCORE_ENVIRONMENT=Development Demo__Seed=true \
  exec dotnet run --project src/ReviewPortal.Demo -c Release --no-build --no-launch-profile --urls "${url}"
