#!/bin/sh
# badgeuse-central postinst: the centrald system user and its data folder,
# then the service (enabled and (re)started where systemd runs).
set -e
if ! getent passwd centrald >/dev/null; then
	useradd --system --user-group --home-dir /var/lib/centrald --no-create-home --shell /usr/sbin/nologin centrald
fi
install -d -m 0700 -o centrald -g centrald /var/lib/centrald
# Files a root command left there before this package knew better.
find /var/lib/centrald -maxdepth 1 -user root -exec chown centrald:centrald {} +
install -d -m 0700 /var/backups/badgeuse
if [ -d /run/systemd/system ]; then
	systemctl daemon-reload
	systemctl enable centrald.service >/dev/null 2>&1 || true
	systemctl restart centrald.service || echo "centrald did not start: journalctl -u centrald; sudo -u centrald centrald doctor --data /var/lib/centrald" >&2
fi
cat <<'MSG'
badgeuse-central is installed (centrald listens on 127.0.0.1:8080, see /etc/badgeuse/centrald.env).
Next: HTTPS in front of it (/usr/share/doc/badgeuse-central/examples/Caddyfile), then the first admin:
  sudo centrald admin add --data /var/lib/centrald --email you@example.org
Check: sudo centrald doctor --data /var/lib/centrald
MSG
