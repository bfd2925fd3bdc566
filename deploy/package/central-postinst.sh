#!/bin/sh
# badgeuse-central postinst: the centrald system user and its data folder,
# then the service (enabled and (re)started where systemd runs), then what
# to do next: the first steps on a first install, one line on an upgrade.
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
	systemctl restart centrald.service || cat >&2 <<'MSG'
centrald n’a pas démarré : journalctl -u centrald ; sudo -u centrald centrald doctor --data /var/lib/centrald
centrald did not start: journalctl -u centrald; sudo -u centrald centrald doctor --data /var/lib/centrald
MSG
fi
# The messages, after dpkg's configure (not after an aborted upgrade or
# removal, where the service is only started again).
[ "$1" = configure ] || exit 0
# $2 is the version configured before: empty on a first install.
previous=${2:-}
version=$(dpkg-query --showformat='${Version}' --show badgeuse-central 2>/dev/null || true)
if [ -n "$previous" ]; then
	# An upgrade keeps centrald.env and the data (a schema upgrade makes
	# its own copy first): no step to take, one line to say it.
	if [ "$previous" = "$version" ]; then
		echo "badgeuse-central réinstallé ($version) / reinstalled ($version)"
	else
		echo "badgeuse-central mis à jour de $previous vers $version / upgraded from $previous to $version"
	fi
	exit 0
fi
cat <<'MSG'
badgeuse-central est installé (centrald écoute sur 127.0.0.1:8080, voir /etc/badgeuse/centrald.env). Ensuite :
  1. HTTPS devant lui : /usr/share/doc/badgeuse-central/examples/Caddyfile (ou nginx.conf)
  2. le premier administrateur : sudo centrald admin add --data /var/lib/centrald --email vous@example.org
  3. vérifier : sudo centrald doctor --data /var/lib/centrald
badgeuse-central is installed (centrald listens on 127.0.0.1:8080, see /etc/badgeuse/centrald.env). Next:
  1. HTTPS in front of it: /usr/share/doc/badgeuse-central/examples/Caddyfile (or nginx.conf)
  2. the first admin: sudo centrald admin add --data /var/lib/centrald --email you@example.org
  3. check: sudo centrald doctor --data /var/lib/centrald
MSG
