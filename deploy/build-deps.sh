#!/bin/sh
# Installs the Debian / Raspberry Pi OS (bookworm) packages Badgeuse needs to
# build and test, when they are missing. Used by `make deps` (and so by
# `make build`, `make test`, `make bench`); safe to run again.
#
#   deploy/build-deps.sh build   what building kioskd needs (OpenCV)
#   deploy/build-deps.sh test    + what the tests need (Chromium, QR baselines,
#                                PostgreSQL for central/postgres's throwaway clusters)
#   deploy/build-deps.sh bench   + what the benchmarks compare against
#   deploy/build-deps.sh screenshots  test's + Chromium's French (make
#                                screenshots: a date field as a French phone
#                                shows it, 26/11/2026)
set -eu

what=${1:-test}
pkgs="libopencv-dev pkg-config gcc g++"
tested="chromium fonts-dejavu-core zbar-tools libzbar-dev libzxing-dev poppler-utils postgresql"
case "$what" in
build) ;;
test | bench) pkgs="$pkgs $tested" ;;
screenshots) pkgs="$pkgs $tested chromium-l10n" ;;
*) echo "usage: $0 build|test|bench|screenshots" >&2; exit 2 ;;
esac

# npm installs axe-core for the browser test (Makefile, target axe): Debian's
# package unless a node with its npm is there already.
case "$what" in test | bench | screenshots) command -v npm >/dev/null 2>&1 || pkgs="$pkgs npm" ;; esac

missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "Installing missing packages:$missing" >&2
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
