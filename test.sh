#!/usr/bin/env bash
# The README's test command: installs what the tests need, builds, runs every test and prints
# "N passed, N failed". .ci/run calls exactly this.
set -uo pipefail
cd "$(dirname "$0")" || exit 1

log() { printf '\n== %s\n' "$*"; }

log "installing test dependencies"
# Debian packages, each installed only when its command is missing: redis-server (tests' Redis), shellcheck
# and zip (deploy/), the AWS CLI when the machine's Python has none (deploy/ against moto).
apt_packages=()
command -v redis-server >/dev/null 2>&1 || apt_packages+=(redis-server)
command -v shellcheck >/dev/null 2>&1 || apt_packages+=(shellcheck)
command -v zip >/dev/null 2>&1 || apt_packages+=(zip)
command -v aws >/dev/null 2>&1 || apt_packages+=(awscli)
# nginx (Debian's nginx-light): the peer row of `bench gateway` (nginx proxy_cache), which the bench test runs.
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || apt_packages+=(nginx-light)
if [ ${#apt_packages[@]} -gt 0 ]; then
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  if ! { $sudo_cmd apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${apt_packages[@]}" >/dev/null; }; then
    echo "could not install ${apt_packages[*]} (apt)"; exit 1
  fi
fi
if [ ! -f .tools/node_modules/s3rver/bin/s3rver.js ]; then
  mkdir -p .tools
  npm install --prefix .tools --no-audit --no-fund --loglevel=error s3rver@3.7.1 >/dev/null \
    || { echo "could not install s3rver (npm)"; exit 1; }
fi
# cfn-guard (policy rules for deploy/): a static binary shipped in this npm package.
if [ ! -x .tools/node_modules/@cdklabs/cdk-validator-cfnguard/bin/ubuntu/x86_64/cfn-guard ]; then
  npm install --prefix .tools --no-audit --no-fund --loglevel=error @cdklabs/cdk-validator-cfnguard@0.0.62 >/dev/null \
    || { echo "could not install cfn-guard (npm @cdklabs/cdk-validator-cfnguard)"; exit 1; }
fi
# cfn-lint and moto (with its server extra) come with the machine's Python. When one is missing, one bounded
# try with pip (no retries, a short timeout: where PyPI is not reachable it gives up at once instead of hanging);
# if that fails too, the deploy tests that need the tool fail with how to install it.
pip_packages=()
command -v cfn-lint >/dev/null 2>&1 || pip_packages+=("cfn-lint==1.51.0")
command -v moto_server >/dev/null 2>&1 || pip_packages+=("moto[server]==5.2.1")
if [ ${#pip_packages[@]} -gt 0 ]; then
  timeout 300 python3 -m pip install --quiet --retries 0 --timeout 10 "${pip_packages[@]}" >/dev/null 2>&1 \
    || echo "could not install ${pip_packages[*]} (pip): the deploy tests that need them will fail"
fi

log "building"
dotnet build ReactiveCache.sln -c Debug -nologo -clp:ErrorsOnly || { echo "0 passed, 1 failed"; exit 1; }

log "testing"
results=TestResults
rm -rf "$results"
# The fast unit tests first, then the integration tests, one project after the other: the few timing-sensitive
# unit tests must not share the two cores with servers the integration tests start.
status=0
for project in ReactiveCache.UnitTests ReactiveCache.IntegrationTests; do
  log "testing $project"
  dotnet test "$project" --no-build -nologo --logger "console;verbosity=normal" \
    --logger "trx" --results-directory "$results" "$@" || status=1
done

# Count from the TRX reports (one per test assembly): <Counters total=".." passed=".." failed=".." ...>
counters=$(cat "$results"/*.trx 2>/dev/null | grep -oE '<Counters [^>]*>' || true)
passed=$(printf '%s\n' "$counters" | grep -oE ' passed="[0-9]+"' | grep -oE '[0-9]+' | awk '{n+=$1} END {print n+0}')
failed=$(printf '%s\n' "$counters" | grep -oE ' failed="[0-9]+"' | grep -oE '[0-9]+' | awk '{n+=$1} END {print n+0}')
passed=${passed:-0}; failed=${failed:-0}

# Name every failed test and the first lines of its message just above the closing line, so a CI log
# that keeps only its tail still says what failed.
if [ "$failed" -gt 0 ]; then
  echo
  echo "== failed tests"
  python3 - "$results" <<'PY' 2>/dev/null || grep -h -oE '<UnitTestResult [^>]*outcome="Failed"[^>]*>' "$results"/*.trx | grep -oE 'testName="[^"]*"'
import glob, re, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
for f in glob.glob(sys.argv[1] + "/*.trx"):
    for r in ET.parse(f).getroot().iterfind(".//t:UnitTestResult[@outcome='Failed']", ns):
        print("- " + r.get("testName", "?") + " (" + r.get("duration", "?") + ")")
        msg = r.find(".//t:Message", ns)
        trace = r.find(".//t:StackTrace", ns)
        for text in (msg, trace):
            if text is not None and text.text:
                lines = text.text.strip().splitlines()
                for line in lines[:12]:
                    print("    " + line)
                # A long message (a server's log) keeps its warnings and errors, each with the line after it
                # (the console logger writes the message there).
                picked = [i for i, line in enumerate(lines[12:], 12) if re.search(r"\b(warn|fail|crit):|Exception|[Ee]rror|Timed? ?out", line)]
                shown = sorted({j for i in picked for j in (i, i + 1) if j < len(lines)})[:40]
                if shown:
                    print("    ...")
                for i in shown:
                    print("    " + lines[i])
PY
fi
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo
echo "$passed passed, $failed failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
