#!/bin/sh
# Builds one Debian package with nfpm (make dist):
#   deploy/package/deb.sh central|kiosk VERSION DEBIAN_ARCH BINARY
# writes dist/badgeuse-<central|kiosk>_VERSION_ARCH.deb.
set -eu
cd "$(dirname "$0")/../.."
kind=$1 version=$2 arch=$3 bin=$4
nfpm=${NFPM:-go run github.com/goreleaser/nfpm/v2/cmd/nfpm@v2.48.0}
conf=$(mktemp)
trap 'rm -f "$conf"' EXIT
sed -e "s|@VERSION@|$version|" -e "s|@ARCH@|$arch|" -e "s|@BIN@|$bin|" "deploy/package/$kind.yaml" >"$conf"
$nfpm package --config "$conf" --packager deb --target "dist/badgeuse-${kind}_${version}_${arch}.deb" >/dev/null
echo "dist/badgeuse-${kind}_${version}_${arch}.deb"
