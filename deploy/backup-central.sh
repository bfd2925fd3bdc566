#!/bin/sh
# Backs up central's database while it runs: a consistent copy made by
# SQLite itself (centrald backup: VACUUM INTO, then an integrity check),
# compressed, dated, and the 30 newest kept. Run daily from cron or a
# systemd timer, as root or centrald:
#
#   sudo deploy/backup-central.sh /var/backups/badgeuse
#
# Restore (one command; centrald stopped; kiosks send again the entries
# the copy lacks, they keep them until central acknowledges them):
#
#   sudo systemctl stop centrald
#   sudo centrald restore --data /var/lib/centrald /var/backups/badgeuse/central-….db.gz
#   sudo systemctl start centrald
#
# Off the machine: when /etc/badgeuse/restic.env exists (an example is in
# /usr/share/doc/badgeuse-central/examples/restic.env; see the README,
# "Off-site backups"), the backups folder is also sent, encrypted, to that
# restic repository, and old snapshots are pruned (7 daily, 5 weekly, 12
# monthly kept). Restore from there: restic restore latest --target /tmp/r,
# then centrald restore as above with the file found under /tmp/r.
set -eu
dest=${1:-/var/backups/badgeuse}
data=${CENTRALD_DATA:-/var/lib/centrald}
keep=${KEEP:-30}
centrald=$(command -v centrald || echo /usr/bin/centrald)
umask 077
mkdir -p "$dest"
out="$dest/central-$(date +%Y%m%d-%H%M%S)-$$.db"
"$centrald" backup --data "$data" "$out" >/dev/null
gzip "$out"
ls -1t "$dest"/central-*.db.gz | tail -n +"$((keep + 1))" | xargs -r rm --
echo "backup: $out.gz"

conf=${RESTIC_ENV:-/etc/badgeuse/restic.env}
if [ -f "$conf" ]; then
	command -v restic >/dev/null || { echo "backup: $conf is set but restic is missing: sudo apt install restic" >&2; exit 1; }
	set -a
	. "$conf"
	set +a
	restic backup --quiet --tag badgeuse "$dest"
	restic forget --quiet --tag badgeuse --keep-daily 7 --keep-weekly 5 --keep-monthly 12 --prune
	echo "backup: sent to $RESTIC_REPOSITORY"
fi
