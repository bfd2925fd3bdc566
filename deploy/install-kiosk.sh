#!/bin/sh
# Installs (or upgrades) the Badgeuse door kiosk on a Raspberry Pi running
# Raspberry Pi OS bookworm. Run from a checkout, as root:
#
#   sudo deploy/install-kiosk.sh            # build kioskd here, install, start
#   sudo deploy/install-kiosk.sh bin/kioskd # install a kioskd built elsewhere
#
# Then enroll the kiosk once (token from the admin's Kiosks page):
#   sudo kioskd enroll --data /var/lib/kioskd --central https://… --token …
# Safe to run again: it keeps /etc/badgeuse/kioskd.env and the data folder.
set -eu
cd "$(dirname "$0")/.."
[ "$(id -u)" -eq 0 ] || { echo "run as root (sudo)" >&2; exit 1; }

# OpenCV (kioskd links it), and GStreamer's libcamera source for the Pi camera.
./deploy/build-deps.sh build
apt-get install -y -qq --no-install-recommends gstreamer1.0-libcamera gstreamer1.0-plugins-base >/dev/null ||
	echo "warning: could not install gstreamer1.0-libcamera (needed for the Pi camera module only)" >&2

bin=${1:-}
if [ -z "$bin" ]; then
	command -v go >/dev/null || { echo "Go is needed to build kioskd (https://go.dev/dl/), or pass a built binary" >&2; exit 1; }
	go build -ldflags "-s -w -X main.version=$(deploy/version.sh)" -o bin/kioskd ./kiosk/cmd/kioskd
	bin=bin/kioskd
fi

id kioskd >/dev/null 2>&1 || useradd --system --home-dir /var/lib/kioskd --shell /usr/sbin/nologin kioskd
for g in video gpio; do getent group "$g" >/dev/null && usermod -aG "$g" kioskd; done
install -m 0755 "$bin" /usr/bin/kioskd
install -d -m 0755 /etc/badgeuse
[ -f /etc/badgeuse/kioskd.env ] || install -m 0644 deploy/kioskd.env /etc/badgeuse/kioskd.env
install -d -m 0700 -o kioskd -g kioskd /var/lib/kioskd
install -m 0644 deploy/systemd/kioskd.service /etc/systemd/system/kioskd.service
systemctl daemon-reload
systemctl enable --now kioskd
systemctl restart kioskd
echo "kioskd installed and started. Logs: journalctl -u kioskd -f"
echo "Status: sudo kioskd status --data /var/lib/kioskd"
