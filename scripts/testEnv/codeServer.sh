#!/usr/bin/env bash
# Installs code-server from npm into $1 (a folder of its own), following the sequence that
# works on these machines: no install scripts (they download prebuilt binaries, which fails
# offline), then native modules rebuilt locally and ripgrep taken from Debian.
# Usage: codeServer.sh <dir> <version>. Writes <dir>/.ready only when every step passed, so a
# half-finished install is redone from scratch on the next run.
set -euo pipefail
dir=$1
version=$2
rm -rf "$dir"
mkdir -p "$dir"
cd "$dir"
echo '{"name":"code-server-host","private":true}' > package.json
export npm_config_yes=true npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false
echo "== npm install code-server@$version"
npm install --ignore-scripts "code-server@$version"
echo "== npm rebuild argon2"
npm rebuild argon2
cs=$dir/node_modules/code-server
echo "== vscode production dependencies"
(cd "$cs/lib/vscode" && npm install --omit=dev --ignore-scripts)
# @vscode/ripgrep's postinstall downloads a binary from GitHub; Debian's rg is the same tool.
mkdir -p "$cs/lib/vscode/node_modules/@vscode/ripgrep/bin"
cp /usr/bin/rg "$cs/lib/vscode/node_modules/@vscode/ripgrep/bin/rg"
echo "== npm rebuild (node-pty, spdlog, …)"
(cd "$cs/lib/vscode" && npm rebuild)
(cd "$cs/lib/vscode" && ln -sfn node_modules node_modules.asar)
(cd "$cs/lib/vscode/bin/remote-cli" && ln -sfn code-linux.sh code-server)
(cd "$cs/lib/vscode/bin/helpers" && ln -sfn browser-linux.sh browser.sh)
echo "== built-in extensions"
(cd "$cs/lib/vscode/extensions" && npm install --omit=dev)
node "$cs/out/node/entry.js" --version
touch "$dir/.ready"
