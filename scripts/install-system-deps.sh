#!/bin/sh
# Debian packages that static chart export needs: kaleido v1 drives a Chromium, and the
# fonts render Vietnamese and CJK glyphs. Installed only when missing; never fatal, so that
# the tables and tests that do not export PNG still run on a machine without apt.
set -u
need=""
command -v chromium >/dev/null 2>&1 || need="$need chromium"
[ -d /usr/share/fonts/opentype/noto ] && ls /usr/share/fonts/opentype/noto/NotoSansCJK* >/dev/null 2>&1 || need="$need fonts-noto-cjk"
[ -f /usr/share/fonts/truetype/noto/NotoSans-Regular.ttf ] || need="$need fonts-noto-core"
[ -z "$need" ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-system-deps: no apt-get; install$need yourself for PNG/SVG export (see README)" >&2
  exit 0
fi
SUDO=""
[ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && SUDO="sudo"
echo "install-system-deps: installing$need" >&2
$SUDO apt-get update -q >/dev/null 2>&1 || true
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends $need >/dev/null 2>&1 \
  || echo "install-system-deps: apt-get install$need failed; PNG/SVG export will be skipped" >&2
exit 0
