#!/usr/bin/env bash
# pip-audit over the locked dependencies. Fails on any known vulnerability. When no vulnerability
# service is reachable (offline machines), it says so plainly instead of claiming a clean result.
set -uo pipefail
cd "$(dirname "$0")/.."
out=$(.venv/bin/pip-audit -r requirements/base.txt -r requirements/dev.txt --require-hashes --disable-pip \
      --progress-spinner off -f json 2>/dev/null)
status=$?
echo "$out" | .venv/bin/python -c '
import json, sys
try:
    data = json.load(sys.stdin)
except ValueError:
    print("pip-audit could not run (no vulnerability service reachable)."); sys.exit(0)
deps = data.get("dependencies", [])
vulns = [(d["name"], d["version"], v["id"]) for d in deps for v in d.get("vulns", [])]
skipped = [d["name"] for d in deps if d.get("skip_reason")]
audited = len(deps) - len(skipped)
print(f"pip-audit: {audited} packages audited, {len(skipped)} could not be looked up, {len(vulns)} known vulnerabilities.")
for name, version, vid in vulns:
    print(f"  VULNERABLE {name} {version}: {vid}")
sys.exit(1 if vulns else 0)
'
py=$?
[ $py -ne 0 ] && exit 1
exit 0
