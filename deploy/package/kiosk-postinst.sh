#!/bin/sh
# badgeuse-kiosk postinst: the kioskd system user (in the video and gpio
# groups: camera and GPIO) and its data folder, then the service (enabled
# and (re)started where systemd runs).
set -e
if ! getent passwd kioskd >/dev/null; then
	useradd --system --user-group --home-dir /var/lib/kioskd --no-create-home --shell /usr/sbin/nologin kioskd
fi
# Raspberry Pi OS has a gpio group owning /dev/gpiochip* and /dev/gpiomem*;
# elsewhere it is made so that the unit's SupplementaryGroups exist.
getent group gpio >/dev/null || groupadd --system gpio
usermod -a -G video,gpio kioskd
install -d -m 0700 -o kioskd -g kioskd /var/lib/kioskd
find /var/lib/kioskd -maxdepth 1 -user root -exec chown kioskd:kioskd {} +
if [ -d /run/systemd/system ]; then
	systemctl daemon-reload
	systemctl enable kioskd.service >/dev/null 2>&1 || true
	systemctl restart kioskd.service || echo "kioskd did not start: journalctl -u kioskd; sudo kioskd doctor --data /var/lib/kioskd" >&2
fi
cat <<'MSG'
badgeuse-kiosk is installed. Settings (camera, pins): /etc/badgeuse/kioskd.env
Enroll it with the line the admin's Kiosks page shows:
  sudo kioskd enroll --data /var/lib/kioskd --central https://… --token …
then: sudo systemctl restart kioskd; check: sudo kioskd doctor --data /var/lib/kioskd
MSG
