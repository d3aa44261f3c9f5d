#!/usr/bin/env bash
# Installs code-server (a real VS Code server + web workbench) from the npm registry, for the
# integration tests (npm run test:integration) and the demo (npm run demo).
# Works offline but for the npm registry: no GitHub download is needed.
#
#   scripts/installCodeServer.sh [DEST]    DEST defaults to .vscode-test/code-server (in the project)
#
#   CS_VERSION   code-server version, default 4.100.3 (= VS Code 1.100.3, the newest that runs on Node 20)
#
# The webview host page of the install is patched at each start by test/support/webviewHostPatch.mjs (through
# startCodeServer in test/support/codeServer.mjs, which the tests and the demo use), not here: an install made
# before the patch existed gets it too.
#
# Skips everything when DEST already holds that version. Prints the code-server package dir
# (DEST/node_modules/code-server) as its last line on stdout; everything else goes to stderr.
# Needs: node 20, npm, rg (apt: ripgrep), python3, make, g++, libkrb5-dev (kerberos is built from source).
set -euo pipefail

PROJECT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST_ARG="${1:-$PROJECT_ROOT/.vscode-test/code-server}"
mkdir -p "$DEST_ARG"
DEST="$(cd "$DEST_ARG" && pwd)"
CS_VERSION="${CS_VERSION:-4.100.3}"
STAMP="$DEST/.installed-$CS_VERSION"
ENTRY="$DEST/node_modules/code-server/out/node/entry.js"
log() { echo "[installCodeServer] $*" >&2; }

if [ -f "$STAMP" ] && [ -f "$ENTRY" ]; then
  log "code-server $CS_VERSION already installed in $DEST"
  echo "$DEST/node_modules/code-server"
  exit 0
fi

node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$CS_VERSION" = 4.100.3 ] && [ "$node_major" != 20 ]; then
  log "code-server $CS_VERSION needs Node 20 (this is $(node -v))"; exit 1
fi
missing=()
for b in rg python3 make g++; do command -v "$b" >/dev/null || missing+=("$b"); done
[ -f /usr/include/gssapi/gssapi.h ] || missing+=("libkrb5-dev")
if [ "${#missing[@]}" -gt 0 ]; then
  log "missing: ${missing[*]} (apt-get install -y ripgrep python3 make g++ libkrb5-dev)"; exit 1
fi

started=$SECONDS
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# 1. The code-server tarball, and the @vscode/ripgrep version its bundled VS Code pins.
log "fetching code-server@$CS_VERSION"
(cd "$work" && npm pack --silent "code-server@$CS_VERSION" >/dev/null)
tgz="$(ls "$work"/code-server-*.tgz)"
tar xzf "$tgz" -C "$work" package/lib/vscode/npm-shrinkwrap.json
rg_version="$(node -e '
  const s = require(process.argv[1]);
  const p = s.packages && s.packages["node_modules/@vscode/ripgrep"];
  console.log(p ? p.version : "");' "$work/package/lib/vscode/npm-shrinkwrap.json")"

# 2. @vscode/ripgrep's postinstall downloads rg from GitHub, but first looks for a cached tarball
#    at $TMPDIR/vscode-ripgrep-cache-<version>/ripgrep-<tag>-<target>.tar.gz: put Debian's rg there.
export TMPDIR="$work/tmp"
mkdir -p "$TMPDIR"
if [ -n "$rg_version" ]; then
  (cd "$work" && npm pack --silent "@vscode/ripgrep@$rg_version" >/dev/null \
    && tar xzf "vscode-ripgrep-$rg_version.tgz" package/lib/postinstall.js --transform 's/^package/rgpkg/')
  rg_tag="$(sed -n "s/^const VERSION = '\(.*\)';/\1/p" "$work/rgpkg/lib/postinstall.js")"
  [ -n "$rg_tag" ] || { log "could not read the ripgrep tag from @vscode/ripgrep@$rg_version"; exit 1; }
  mkdir -p "$TMPDIR/vscode-ripgrep-cache-$rg_version" "$work/rgbin"
  cp "$(command -v rg)" "$work/rgbin/rg"
  for target in x86_64-unknown-linux-musl aarch64-unknown-linux-musl; do
    tar czf "$TMPDIR/vscode-ripgrep-cache-$rg_version/ripgrep-$rg_tag-$target.tar.gz" -C "$work/rgbin" rg
  done
  log "ripgrep: using $(command -v rg) for @vscode/ripgrep@$rg_version ($rg_tag)"
fi

# 3. Install with the install scripts in the foreground (native modules are built here).
#    unsafe_perm: code-server's postinstall refuses to run as root without it (npm 11 no longer
#    knows the option, so it goes through the environment). yes: node-pty's postinstall runs
#    `npx node-gyp`, which an npmrc with yes=false would refuse. dangerously_allow_all_scripts:
#    npm 11's allowScripts policy; this throwaway install of one pinned package needs its native
#    modules built (node-pty, spdlog, kerberos, ...), also in the nested install its postinstall runs.
cd "$DEST"
[ -f package.json ] || echo '{ "name": "hammock-code-server-host", "private": true }' > package.json
install_log="$DEST/install.log"
log "installing (builds native modules; about 2 minutes on 2 cores; log: $install_log)"
if ! npm_config_unsafe_perm=true npm_config_yes=true npm_config_dangerously_allow_all_scripts=true \
  npm install --no-audit --no-fund --no-save --foreground-scripts "$tgz" >"$install_log" 2>&1; then
  tail -n 60 "$install_log" >&2
  log "npm install of code-server failed; the whole log is in $install_log"
  exit 1
fi
rm -f "$DEST"/.installed-*
node "$ENTRY" --version >&2
touch "$STAMP"
log "installed code-server $CS_VERSION in $DEST in $((SECONDS - started)) s"
echo "$DEST/node_modules/code-server"
