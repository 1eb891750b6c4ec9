#!/usr/bin/env bash
# Runs the whole test suite: unit, integration (real PostgreSQL, started by the tests), bUnit component and
# Chromium end-to-end tests, and the development identity provider's own tests. Installs what they need first:
# Debian's chromium and the dotnet local tools (the build installs the npm packages).
# Ends with one line "N passed, N failed" (totals over all test projects).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  echo "Installing Debian's chromium for the end-to-end tests..."
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium >/dev/null
fi

dotnet tool restore >/dev/null
dotnet build ReviewPortal.sln -c Release -nologo -v quiet

results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT
status=0
dotnet test ReviewPortal.sln -c Release --no-build --logger trx --results-directory "$results" "$@" || status=$?

# The development identity provider's own tests (node:test; its packages were installed by the build).
idp_tap="$results/identity-provider.tap"
(cd src/ReviewPortal.DevIdentityProvider && node --test --test-reporter=tap test.mjs) >"$idp_tap" 2>&1 || status=$?
idp_passed="$(sed -nE 's/^# pass ([0-9]+)$/\1/p' "$idp_tap")"
idp_failed="$(sed -nE 's/^# fail ([0-9]+)$/\1/p' "$idp_tap")"
if [ -z "$idp_passed" ] || [ -z "$idp_failed" ] || [ "$idp_failed" -ne 0 ]; then
  echo "The development identity provider's tests failed:" >&2
  cat "$idp_tap" >&2
  status=1
fi

passed=0
failed=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters="$(grep -o '<Counters [^>]*>' "$trx")"
  p="$(sed -E 's/.* passed="([0-9]+)".*/\1/' <<<"$counters")"
  f="$(sed -E 's/.* failed="([0-9]+)".*/\1/' <<<"$counters")"
  passed=$((passed + p))
  failed=$((failed + f))
done

passed=$((passed + ${idp_passed:-0}))
failed=$((failed + ${idp_failed:-1}))

if [ "$passed" -eq 0 ] && [ "$status" -eq 0 ]; then
  echo "No test ran." >&2
  status=1
fi
echo "${passed} passed, ${failed} failed"
exit "$status"
