#!/usr/bin/env bash
# Runs ReviewPortal with realistic demo data. With no ConnectionStrings__Portal set, the portal starts
# its own PostgreSQL (data in .local/postgres, kept between runs) and stops it on Ctrl+C.
set -euo pipefail
cd "$(dirname "$0")/.."

url="${REVIEWPORTAL_URL:-http://127.0.0.1:5080}"
dotnet tool restore >/dev/null

echo "Building ReviewPortal (first run restores packages; this takes a minute)..."
dotnet build src/ReviewPortal.Web -c Release -nologo -v quiet

echo
echo "ReviewPortal will be at ${url} -- sign in as reviewer@demo.local / Demo-Passw0rd! (more accounts in README.md)."
echo "Demo changes are the branches of the git repository .local/demo-repo (created on first run); commit there and they update."
echo "Agents submit changes with: curl -H 'X-Api-Key: dev-agent-key-change-me' -H 'Content-Type: application/json' -d @change.json ${url}/api/changes"
echo
ASPNETCORE_ENVIRONMENT=Development Demo__Seed=true \
  exec dotnet run --project src/ReviewPortal.Web -c Release --no-build --no-launch-profile --urls "${url}"
