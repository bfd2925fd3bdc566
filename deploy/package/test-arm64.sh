#!/bin/sh
# Runs the arm64 kioskd of make dist under qemu-user (Debian's
# qemu-user-static) with the arm64 sysroot of deploy/kioskd-arm64.sh, and
# checks that it decodes the QR photos exactly as this machine's kioskd
# does (the same texts, file by file), then that it runs the door loop on
# a rendered video (kioskd run --camera VIDEO --exit-at-eof) with the same
# decisions.
#   deploy/package/test-arm64.sh DIST PHOTOS
set -eu
dist=$1 photos=$2
sys=${BADGEUSE_CACHE:-/var/cache/badgeuse}/arm64/sysroot
command -v qemu-aarch64-static >/dev/null || apt-get install -y -qq qemu-user-static >/dev/null
native=$dist/kioskd-linux-$(go env GOARCH)
files=$(ls -d "$photos"/*/*.png "$photos"/*/*.jpg 2>/dev/null | head -60)
[ -n "$files" ] || { echo "test-arm64: no photos in $photos" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "test-arm64: $(qemu-aarch64-static -L "$sys" "$dist/kioskd-linux-arm64" version) under qemu-aarch64"
qemu-aarch64-static -L "$sys" "$dist/kioskd-linux-arm64" decode --json $files | sed 's/"ms":[0-9.e+-]*//' >"$tmp/arm64"
"$native" decode --json $files | sed 's/"ms":[0-9.e+-]*//' >"$tmp/native"
diff "$tmp/native" "$tmp/arm64" || { echo "test-arm64: FAIL: arm64 kioskd decodes differently" >&2; exit 1; }
echo "test-arm64: OK: $(wc -l <"$tmp/arm64") photos, $(grep -vc '"text":""' "$tmp/arm64") codes read, the same as $(basename "$native")"
# The door loop: a kiosk not enrolled refuses the badges (unknown_badge),
# after decoding, debouncing and recording each scan in its database.
go run ./kiosk/cmd/badgevideo -o "$tmp/clip.avi" -fps 10 -seconds-per-badge 0.6 -gap 0.4 \
	BG1:AAAAAAAAAAAAAAAAAAAAAAAAAA BG1:BBBBBBBBBBBBBBBBBBBBBBBBBB https://example.org/not-a-badge >/dev/null
door() { "$@" run --data "$tmp/data-$#" --camera "$tmp/clip.avi" --exit-at-eof --fast --led console --sync=false 2>/dev/null |
	sed 's/"time":"[^"]*"//; s/"id":"[^"]*"//; s/"latency_ms":[0-9.e+-]*//'; }
door qemu-aarch64-static -L "$sys" "$dist/kioskd-linux-arm64" >"$tmp/door-arm64"
door "$native" >"$tmp/door-native"
[ -s "$tmp/door-native" ] || { echo "test-arm64: FAIL: no decision from the native door loop" >&2; exit 1; }
diff "$tmp/door-native" "$tmp/door-arm64" || { echo "test-arm64: FAIL: the arm64 door loop decides differently" >&2; exit 1; }
echo "test-arm64: OK: door loop on a video, $(wc -l <"$tmp/door-arm64") decisions, the same as $(basename "$native")"
