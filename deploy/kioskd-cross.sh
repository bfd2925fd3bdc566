#!/bin/sh
# Cross-builds kioskd for the Raspberry Pi with cgo against Debian
# bookworm's OpenCV 4.6 for that architecture (make dist):
#   deploy/kioskd-cross.sh arm64|armhf VERSION OUTPUT
# arm64: Raspberry Pi OS 64-bit / Debian bookworm arm64 (Pi 3, 4, 5).
# armhf: Raspberry Pi OS 32-bit / Debian bookworm armhf, ARMv7-A with
# hard float (GOARM=7, Debian's arm-linux-gnueabihf compiler defaults):
# Pi 2, 3, 4, 5 and Zero 2 W; not the ARMv6 Pi 1 and Zero (W).
#
# How: libopencv-dev:ARCH cannot be installed beside this machine's one,
# so the ARCH runtime libraries of the 12 OpenCV modules kioskd links (and
# their dependencies) are downloaded with apt into a private sysroot
# (/var/cache/badgeuse/ARCH; nothing is installed on this machine) and
# unpacked with dpkg -x; headers are this machine's libopencv-dev (the same
# 4.6.0 version: they are architecture-independent) plus the ARCH
# cvconfig.h; Debian's cross compiler (gcc-aarch64-linux-gnu,
# gcc-arm-linux-gnueabihf) links against them. The same sysroot lets
# qemu-user run the result (deploy/package/test-cross.sh).
set -eu
cd "$(dirname "$0")/.."
arch=$1 version=$2 out=$3
case $arch in
arm64) triplet=aarch64-linux-gnu goarch=arm64 goarm= ;;
armhf) triplet=arm-linux-gnueabihf goarch=arm goarm=7 ;;
*) echo "kioskd-cross: unknown architecture $arch (arm64 or armhf)" >&2; exit 2 ;;
esac
root=${BADGEUSE_CACHE:-/var/cache/badgeuse}/$arch
sys=$root/sysroot
modules="core imgproc imgcodecs videoio video objdetect calib3d features2d flann dnn photo highgui"
command -v "$triplet-g++" >/dev/null || apt-get install -y -qq --no-install-recommends "gcc-$triplet" "g++-$triplet" >/dev/null
if [ ! -f "$sys/.done" ]; then
	mkdir -p "$root/state/lists/partial" "$root/cache/archives/partial" "$root/etc"
	touch "$root/state/status"
	echo "deb [arch=$arch signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] ${DEBIAN_MIRROR:-http://deb.debian.org/debian} bookworm main" >"$root/etc/sources.list"
	apt="apt-get -q -o APT::Architecture=$arch -o APT::Architectures=$arch -o Dir::State=$root/state -o Dir::State::status=$root/state/status -o Dir::Cache=$root/cache -o Dir::Etc::SourceList=$root/etc/sources.list -o Dir::Etc::SourceParts=/nonexistent -o Debug::NoLocking=1"
	$apt update >/dev/null
	pkgs="libc6 libstdc++6"
	for m in $modules; do pkgs="$pkgs libopencv-$m""406"; done
	$apt install --download-only -y --no-install-recommends $pkgs >/dev/null
	(cd "$root/cache/archives" && $apt download libopencv-core-dev >/dev/null 2>&1)
	rm -rf "$sys" && mkdir -p "$sys"
	for d in "$root"/cache/archives/*.deb; do dpkg-deb -x "$d" "$sys"; done
	# Alternatives dpkg -x does not make (libgdal needs BLAS and LAPACK).
	ln -sf blas/libblas.so.3 "$sys/usr/lib/$triplet/libblas.so.3"
	ln -sf lapack/liblapack.so.3 "$sys/usr/lib/$triplet/liblapack.so.3"
	touch "$sys/.done"
fi
# Only the OpenCV libraries on -L (the sysroot's libc linker scripts name
# absolute paths); their own dependencies are found through -rpath-link.
link=$root/link
mkdir -p "$link"
libs=""
for m in $modules; do
	ln -sf "$sys/usr/lib/$triplet/libopencv_$m.so.406" "$link/libopencv_$m.so"
	libs="$libs -lopencv_$m"
done
lib=$sys/usr/lib/$triplet
CC=$triplet-gcc CXX=$triplet-g++ CGO_ENABLED=1 GOOS=linux GOARCH=$goarch GOARM=$goarm \
	CGO_CPPFLAGS="-I$sys/usr/include/$triplet/opencv4 -I/usr/include/opencv4" CGO_CXXFLAGS="--std=c++11" \
	CGO_LDFLAGS="-L$link -Wl,-rpath-link,$lib -Wl,-rpath-link,$sys/lib/$triplet -Wl,--allow-shlib-undefined$libs" \
	${GO:-go} build -tags customenv -trimpath -ldflags "-s -w -X main.version=$version" -o "$out" ./kiosk/cmd/kioskd
echo "$out"
