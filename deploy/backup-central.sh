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
# Copy the backups off the machine too (restic…, see the README): they hold
# personal data, keep them encrypted.
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
