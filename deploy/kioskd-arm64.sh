#!/bin/sh
# Cross-builds kioskd for the Raspberry Pi (arm64, Raspberry Pi OS / Debian
# bookworm) with cgo against Debian bookworm's OpenCV 4.6 for arm64 (make
# dist):
#   deploy/kioskd-arm64.sh VERSION OUTPUT
#
# How: libopencv-dev:arm64 cannot be installed beside the amd64 one, so
# the arm64 runtime libraries of the 12 OpenCV modules kioskd links (and
# their dependencies) are downloaded with apt into a private sysroot
# (/var/cache/badgeuse/arm64; nothing is installed on this machine) and
# unpacked with dpkg -x; headers are this machine's libopencv-dev (the same
# 4.6.0 version: they are architecture-independent) plus the arm64
# cvconfig.h; Debian's gcc-aarch64-linux-gnu links against them. The same
# sysroot lets qemu-user run the result (deploy/package/test-arm64.sh).
set -eu
cd "$(dirname "$0")/.."
version=$1 out=$2
root=${BADGEUSE_CACHE:-/var/cache/badgeuse}/arm64
sys=$root/sysroot
modules="core imgproc imgcodecs videoio video objdetect calib3d features2d flann dnn photo highgui"
command -v aarch64-linux-gnu-g++ >/dev/null || apt-get install -y -qq --no-install-recommends gcc-aarch64-linux-gnu g++-aarch64-linux-gnu >/dev/null
if [ ! -f "$sys/.done" ]; then
	mkdir -p "$root/state/lists/partial" "$root/cache/archives/partial" "$root/etc"
	touch "$root/state/status"
	echo "deb [arch=arm64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] ${DEBIAN_MIRROR:-http://deb.debian.org/debian} bookworm main" >"$root/etc/sources.list"
	apt="apt-get -q -o APT::Architecture=arm64 -o APT::Architectures=arm64 -o Dir::State=$root/state -o Dir::State::status=$root/state/status -o Dir::Cache=$root/cache -o Dir::Etc::SourceList=$root/etc/sources.list -o Dir::Etc::SourceParts=/nonexistent -o Debug::NoLocking=1"
	$apt update >/dev/null
	pkgs="libc6 libstdc++6"
	for m in $modules; do pkgs="$pkgs libopencv-$m""406"; done
	$apt install --download-only -y --no-install-recommends $pkgs >/dev/null
	(cd "$root/cache/archives" && $apt download libopencv-core-dev >/dev/null 2>&1)
	rm -rf "$sys" && mkdir -p "$sys"
	for d in "$root"/cache/archives/*.deb; do dpkg-deb -x "$d" "$sys"; done
	# Alternatives dpkg -x does not make (libgdal needs BLAS and LAPACK).
	ln -sf blas/libblas.so.3 "$sys/usr/lib/aarch64-linux-gnu/libblas.so.3"
	ln -sf lapack/liblapack.so.3 "$sys/usr/lib/aarch64-linux-gnu/liblapack.so.3"
	touch "$sys/.done"
fi
# Only the OpenCV libraries on -L (the sysroot's libc linker scripts name
# absolute paths); their own dependencies are found through -rpath-link.
link=$root/link
mkdir -p "$link"
libs=""
for m in $modules; do
	ln -sf "$sys/usr/lib/aarch64-linux-gnu/libopencv_$m.so.406" "$link/libopencv_$m.so"
	libs="$libs -lopencv_$m"
done
lib=$sys/usr/lib/aarch64-linux-gnu
CC=aarch64-linux-gnu-gcc CXX=aarch64-linux-gnu-g++ CGO_ENABLED=1 GOOS=linux GOARCH=arm64 \
	CGO_CPPFLAGS="-I$sys/usr/include/aarch64-linux-gnu/opencv4 -I/usr/include/opencv4" CGO_CXXFLAGS="--std=c++11" \
	CGO_LDFLAGS="-L$link -Wl,-rpath-link,$lib -Wl,-rpath-link,$sys/lib/aarch64-linux-gnu -Wl,--allow-shlib-undefined$libs" \
	${GO:-go} build -tags customenv -trimpath -ldflags "-s -w -X main.version=$version" -o "$out" ./kiosk/cmd/kioskd
echo "$out"
