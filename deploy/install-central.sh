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
	command -v go >/dev/null || { echo "Go is needed to build centrald (https://go.dev/dl/), or pass a built binary (make dist)" >&2; exit 1; }
	CGO_ENABLED=0 go build -ldflags "-s -w -X main.version=$(deploy/version.sh)" -o bin/centrald ./central/cmd/centrald
	bin=bin/centrald
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
30 3 * * * root /usr/local/sbin/badgeuse-backup /var/backups/badgeuse >/dev/null
CRON
systemctl daemon-reload
systemctl enable --now centrald
systemctl restart centrald
echo "centrald installed and started on $(. /etc/badgeuse/centrald.env; echo "$CENTRALD_ADDR")."
echo "Next: HTTPS in front of it (deploy/Caddyfile), then the first admin:"
echo "  sudo -u centrald centrald admin add --data /var/lib/centrald --email you@example.org"
