#!/bin/sh
# badgeuse-kiosk postinst: the kioskd system user (in the video and gpio
# groups: camera and GPIO) and its data folder, then the service (enabled
# and (re)started where systemd runs), then what to do next: the first
# steps on a first install, one line on an upgrade.
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
	# Settings that cannot work here (a machine that is not a Pi, pins not
	# set yet) stop kioskd with exit 78 until the next restart: no loop.
	systemctl restart kioskd.service || cat >&2 <<'MSG'
kioskd n’a pas démarré : journalctl -u kioskd (caméra, broches : /etc/badgeuse/kioskd.env, puis sudo systemctl restart kioskd)
kioskd did not start: journalctl -u kioskd (camera, pins: /etc/badgeuse/kioskd.env, then sudo systemctl restart kioskd)
MSG
fi
# The messages, after dpkg's configure (not after an aborted upgrade or
# removal, where the service is only started again).
[ "$1" = configure ] || exit 0
# $2 is the version configured before: empty on a first install.
previous=${2:-}
version=$(dpkg-query --showformat='${Version}' --show badgeuse-kiosk 2>/dev/null || true)
if [ -n "$previous" ]; then
	# An upgrade keeps kioskd.env, the enrolment and the entries not yet
	# sent: no step to take, one line to say it.
	if [ "$previous" = "$version" ]; then
		echo "badgeuse-kiosk réinstallé ($version) / reinstalled ($version)"
	else
		echo "badgeuse-kiosk mis à jour de $previous vers $version / upgraded from $previous to $version"
	fi
	exit 0
fi
cat <<'MSG'
badgeuse-kiosk est installé. Ensuite :
  1. caméra et broches : sudo nano /etc/badgeuse/kioskd.env (guide : /usr/share/doc/badgeuse-kiosk/pi-setup.md)
  2. la ligne que montre la page Bornes de l’admin : sudo kioskd enroll --data /var/lib/kioskd --central https://… --token …
  3. sudo systemctl restart kioskd ; vérifier : sudo systemctl stop kioskd && sudo kioskd doctor --data /var/lib/kioskd ; sudo systemctl start kioskd
badgeuse-kiosk is installed. Next:
  1. camera and pins: sudo nano /etc/badgeuse/kioskd.env (guide: /usr/share/doc/badgeuse-kiosk/pi-setup.md)
  2. the line the admin's Kiosks page shows: sudo kioskd enroll --data /var/lib/kioskd --central https://… --token …
  3. sudo systemctl restart kioskd; check: sudo systemctl stop kioskd && sudo kioskd doctor --data /var/lib/kioskd; sudo systemctl start kioskd
MSG
