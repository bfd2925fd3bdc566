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
	# sudo resets PATH: Go installed as https://go.dev/dl says is in
	# /usr/local/go/bin, on the volunteer's PATH but not on root's.
	command -v go >/dev/null || PATH=$PATH:/usr/local/go/bin
	command -v go >/dev/null || { echo "Go is needed to build kioskd (https://go.dev/dl/), or pass a built binary" >&2; exit 1; }
	# Built outside the checkout: a root-owned bin/ would stop the
	# volunteer's own make later.
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	go build -ldflags "-s -w -X main.version=$(deploy/version.sh)" -o "$tmp/kioskd" ./kiosk/cmd/kioskd
	bin=$tmp/kioskd
fi

id kioskd >/dev/null 2>&1 || useradd --system --home-dir /var/lib/kioskd --shell /usr/sbin/nologin kioskd
# The unit's SupplementaryGroups must exist or the service does not start:
# Raspberry Pi OS has a gpio group, a mini PC has none (as the package does).
getent group gpio >/dev/null || groupadd --system gpio
usermod -aG video,gpio kioskd
install -m 0755 "$bin" /usr/bin/kioskd
install -d -m 0755 /etc/badgeuse
[ -f /etc/badgeuse/kioskd.env ] || install -m 0644 deploy/kioskd.env /etc/badgeuse/kioskd.env
install -d -m 0700 -o kioskd -g kioskd /var/lib/kioskd
install -m 0644 deploy/systemd/kioskd.service /etc/systemd/system/kioskd.service
# The setup guide where the package puts it: kioskd's messages point there.
install -D -m 0644 deploy/pi-setup.md /usr/share/doc/badgeuse-kiosk/pi-setup.md
# Where systemd runs (not in a chroot or an image being built: there the
# service starts at the next boot).
if [ -d /run/systemd/system ]; then
	systemctl daemon-reload
	systemctl enable kioskd
	if systemctl restart kioskd; then
		echo "kioskd installed and started. Logs: journalctl -u kioskd -f"
	else
		echo "kioskd installed but did not start (camera, pins: /etc/badgeuse/kioskd.env, then sudo systemctl restart kioskd): journalctl -u kioskd; sudo kioskd doctor --data /var/lib/kioskd" >&2
	fi
else
	systemctl enable kioskd
	echo "kioskd installed; systemd does not run here: it starts at the next boot."
fi
echo "Status: sudo kioskd status --data /var/lib/kioskd"
