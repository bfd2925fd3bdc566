#!/bin/sh
# Runs a cross-built kioskd of make dist (arm64 or armhf) under qemu-user
# (Debian's qemu-user-static) with the sysroot of deploy/kioskd-cross.sh,
# and checks that it decodes the QR photos exactly as this machine's
# kioskd does (the same texts, file by file), then that it runs the door
# loop on a rendered video (kioskd run --camera VIDEO --exit-at-eof) with
# the same decisions; and that apt resolves the dependencies of that
# architecture's two .debs from Debian bookworm alone, on an empty system
# (apt-get install --simulate with the sysroot's private apt state).
#   deploy/package/test-cross.sh arm64|armhf DIST PHOTOS
set -eu
arch=$1 dist=$2 photos=$3
case $arch in
arm64) qemu=qemu-aarch64-static bin=kioskd-linux-arm64 ;;
armhf) qemu=qemu-arm-static bin=kioskd-linux-armv7 ;;
*) echo "test-cross: unknown architecture $arch (arm64 or armhf)" >&2; exit 2 ;;
esac
sys=${BADGEUSE_CACHE:-/var/cache/badgeuse}/$arch/sysroot
command -v "$qemu" >/dev/null || apt-get install -y -qq qemu-user-static >/dev/null
native=$dist/kioskd-linux-$(go env GOARCH)
files=$(ls -d "$photos"/*/*.png "$photos"/*/*.jpg 2>/dev/null | head -60)
[ -n "$files" ] || { echo "test-cross: no photos in $photos" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
step() { echo "test-cross $arch: $*"; }
fail() { echo "test-cross $arch: FAIL: $*" >&2; exit 1; }
emulated() { "$qemu" -L "$sys" "$dist/$bin" "$@"; }
step "$(emulated version) under $qemu"
emulated decode --json $files | sed 's/"ms":[0-9.e+-]*//' >"$tmp/cross"
"$native" decode --json $files | sed 's/"ms":[0-9.e+-]*//' >"$tmp/native"
diff "$tmp/native" "$tmp/cross" || fail "$bin decodes differently"
step "OK: $(wc -l <"$tmp/cross") photos, $(grep -vc '"text":""' "$tmp/cross") codes read, the same as $(basename "$native")"
# The door loop: a kiosk not enrolled refuses the badges (unknown_badge),
# after decoding, debouncing and recording each scan in its database.
go run ./kiosk/cmd/badgevideo -o "$tmp/clip.avi" -fps 10 -seconds-per-badge 0.6 -gap 0.4 \
	BG1:AAAAAAAAAAAAAAAAAAAAAAAAAA BG1:BBBBBBBBBBBBBBBBBBBBBBBBBB https://example.org/not-a-badge >/dev/null
door() { "$@" run --data "$tmp/data-$#" --camera "$tmp/clip.avi" --exit-at-eof --fast --led console --sync=false 2>/dev/null |
	sed 's/"time":"[^"]*"//; s/"id":"[^"]*"//; s/"latency_ms":[0-9.e+-]*//'; }
door "$qemu" -L "$sys" "$dist/$bin" >"$tmp/door-cross"
door "$native" >"$tmp/door-native"
[ -s "$tmp/door-native" ] || fail "no decision from the native door loop"
diff "$tmp/door-native" "$tmp/door-cross" || fail "the $arch door loop decides differently"
step "OK: door loop on a video, $(wc -l <"$tmp/door-cross") decisions, the same as $(basename "$native")"
# The same private apt as deploy/kioskd-cross.sh (its package lists).
root=${BADGEUSE_CACHE:-/var/cache/badgeuse}/$arch
apt="apt-get -q -o APT::Architecture=$arch -o APT::Architectures=$arch -o Dir::State=$root/state -o Dir::State::status=$root/state/status -o Dir::Cache=$root/cache -o Dir::Etc::SourceList=$root/etc/sources.list -o Dir::Etc::SourceParts=/nonexistent -o Debug::NoLocking=1"
debs=""
for kind in central kiosk; do
	f=$(ls "$dist"/badgeuse-${kind}_*_"$arch".deb 2>/dev/null | head -1)
	[ -n "$f" ] || fail "no badgeuse-$kind package for $arch in $dist"
	debs="$debs $(cd "$(dirname "$f")" && pwd)/$(basename "$f")"
done
$apt install --simulate --no-install-recommends $debs >"$tmp/apt" 2>&1 || { tail -20 "$tmp/apt" >&2; fail "apt cannot install the $arch packages on Debian bookworm $arch"; }
for kind in central kiosk; do grep -q "^Inst badgeuse-$kind " "$tmp/apt" || { tail -20 "$tmp/apt" >&2; fail "apt would not install badgeuse-$kind"; }; done
step "OK: apt resolves both $arch packages' dependencies from Debian bookworm $arch ($(grep -c '^Inst' "$tmp/apt") packages on an empty system)"
