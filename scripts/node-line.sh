#!/usr/bin/env bash
# The Node.js releases the project is proved on, as the npm registry ships them (the `node-<os>-<cpu>` binary
# packages, which carry bin/node and the headers in include/node), installed inside the checkout in .tools/.
#
#   scripts/node-line.sh versions                   print the two releases: the lowest line and the newest LTS
#   scripts/node-line.sh install lowest|newest|X.Y.Z   install one (once) and print its folder
#   scripts/node-line.sh run lowest|newest|X.Y.Z -- <command...>
#       run the command with that Node first on PATH (so npm, tsx, vitest and every `node` they start are that
#       release) and native add-ons built against its headers (npm_config_nodedir)
#
# lowest: the newest release of the lowest line package.json's `engines` allows (>=22.19.0: the floor is
# @apidevtools/json-schema-ref-parser's, through openapi-backend). newest: the newest release of the newest LTS line
# that the registry has.
set -euo pipefail
cd "$(dirname "$0")/.."

LOWEST=22.23.5
NEWEST=26.12.1

version_of() {
  case "$1" in
    lowest) echo "$LOWEST" ;;
    newest) echo "$NEWEST" ;;
    [0-9]*.[0-9]*.[0-9]*) echo "$1" ;;
    *) echo "node-line: '$1' is neither lowest, newest nor an exact version" >&2; exit 2 ;;
  esac
}

package_name() {
  local os cpu
  case "$(uname -s)" in Linux) os=linux ;; Darwin) os=darwin ;; *) echo "node-line: no binary package for $(uname -s)" >&2; exit 1 ;; esac
  case "$(uname -m)" in x86_64 | amd64) cpu=x64 ;; aarch64 | arm64) cpu=arm64 ;; *) echo "node-line: no binary package for $(uname -m)" >&2; exit 1 ;; esac
  echo "node-$os-$cpu"
}

# The release's folder: .tools/node-X.Y.Z/node_modules/node-<os>-<cpu>/{bin/node,include/node}. npm fetches it
# (checking the registry's integrity hash), with the exact version, so nothing else is ever picked.
install() {
  local version package prefix home
  version="$(version_of "$1")"
  package="$(package_name)"
  prefix="$PWD/.tools/node-$version"
  home="$prefix/node_modules/$package"
  if [ ! -x "$home/bin/node" ] || [ "$("$home/bin/node" --version)" != "v$version" ]; then
    rm -rf "$prefix"
    mkdir -p "$prefix"
    npm install --prefix "$prefix" --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
      "$package@$version" >&2
  fi
  [ "$("$home/bin/node" --version)" = "v$version" ] || { echo "node-line: $home/bin/node is not v$version" >&2; exit 1; }
  [ -f "$home/include/node/node_api.h" ] || { echo "node-line: $home carries no headers" >&2; exit 1; }
  echo "$home"
}

case "${1:-}" in
  versions) echo "lowest $LOWEST"; echo "newest $NEWEST" ;;
  install) install "$2" ;;
  run)
    home="$(install "$2")"
    shift 2
    [ "${1:-}" = "--" ] && shift
    export PATH="$home/bin:$PATH"
    export npm_config_nodedir="$home"
    hash -r
    exec "$@"
    ;;
  *)
    echo "usage: $0 versions | install lowest|newest|X.Y.Z | run lowest|newest|X.Y.Z -- <command...>" >&2
    exit 2
    ;;
esac
