#!/bin/sh
# Installs (or upgrades) Badgeuse's central server on a Debian 12 machine
# (a small VPS, or the same Raspberry Pi as the kiosk). Run from a
# checkout, as root:
#
#   sudo deploy/install-central.sh                  # build centrald here (needs Go)
#   sudo deploy/install-central.sh centrald-linux-arm64   # or install a built binary (make dist)
#
# Then create the first admin and open the admin in a browser:
#   sudo -u centrald centrald admin add --data /var/lib/centrald --email you@example.org
# Safe to run again: it keeps /etc/badgeuse/centrald.env and the data.
set -eu
cd "$(dirname "$0")/.."
[ "$(id -u)" -eq 0 ] || { echo "run as root (sudo)" >&2; exit 1; }

bin=${1:-}
if [ -z "$bin" ]; then
	# sudo resets PATH: Go installed as https://go.dev/dl says is in
	# /usr/local/go/bin, on the volunteer's PATH but not on root's.
	command -v go >/dev/null || PATH=$PATH:/usr/local/go/bin
	command -v go >/dev/null || { echo "Go is needed to build centrald (https://go.dev/dl/), or pass a built binary (make dist)" >&2; exit 1; }
	# Built outside the checkout: a root-owned bin/ would stop the
	# volunteer's own make later.
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	CGO_ENABLED=0 go build -ldflags "-s -w -X main.version=$(deploy/version.sh)" -o "$tmp/centrald" ./central/cmd/centrald
	bin=$tmp/centrald
fi
id centrald >/dev/null 2>&1 || useradd --system --home-dir /var/lib/centrald --shell /usr/sbin/nologin centrald
install -m 0755 "$bin" /usr/bin/centrald
install -d -m 0755 /etc/badgeuse
[ -f /etc/badgeuse/centrald.env ] || install -m 0644 deploy/centrald.env /etc/badgeuse/centrald.env
install -d -m 0700 -o centrald -g centrald /var/lib/centrald
install -m 0644 deploy/systemd/centrald.service /etc/systemd/system/centrald.service
# Daily backup at 03:30, the 30 newest kept in /var/backups/badgeuse.
install -m 0755 deploy/backup-central.sh /usr/local/sbin/badgeuse-backup
cat >/etc/cron.d/badgeuse-backup <<'CRON'
30 3 * * * root test -x /usr/local/sbin/badgeuse-backup && /usr/local/sbin/badgeuse-backup /var/backups/badgeuse >/dev/null
CRON
# Where systemd runs (not in a chroot or an image being built: there the
# service starts at the next boot).
if [ -d /run/systemd/system ]; then
	systemctl daemon-reload
	systemctl enable centrald
	if systemctl restart centrald; then
		echo "centrald installed and started on $(. /etc/badgeuse/centrald.env; echo "$CENTRALD_ADDR")."
	else
		echo "centrald installed but did not start: journalctl -u centrald; sudo centrald doctor --data /var/lib/centrald" >&2
	fi
else
	systemctl enable centrald
	echo "centrald installed; systemd does not run here: it starts at the next boot."
fi
echo "Next: HTTPS in front of it (deploy/Caddyfile), then the first admin:"
echo "  sudo -u centrald centrald admin add --data /var/lib/centrald --email you@example.org"
