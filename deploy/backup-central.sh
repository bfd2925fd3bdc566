#!/bin/sh
# Backs up central's database while it runs: a consistent copy made by
# SQLite itself (VACUUM INTO), compressed, dated, and the 30 newest kept.
# Run daily from cron or a systemd timer, as root or centrald:
#
#   sudo deploy/backup-central.sh /var/backups/badgeuse
#
# Restore: stop centrald, gunzip a copy to /var/lib/centrald/central.db
# (owned by centrald, mode 600), start centrald. Kiosks send again the
# entries the copy lacks (they keep them until central acknowledges).
# Copy the backups off the machine too (rsync, restic…): they hold
# personal data, keep them encrypted.
set -eu
dest=${1:-/var/backups/badgeuse}
data=${CENTRALD_DATA:-/var/lib/centrald}
keep=${KEEP:-30}
command -v sqlite3 >/dev/null || { echo "sqlite3 is needed: sudo apt install sqlite3" >&2; exit 1; }
umask 077
mkdir -p "$dest"
out="$dest/central-$(date +%Y%m%d-%H%M%S)-$$.db"
sqlite3 "$data/central.db" "VACUUM INTO '$out'"
sqlite3 "$out" "PRAGMA integrity_check" | grep -qx ok || { echo "backup $out failed its integrity check" >&2; exit 1; }
gzip "$out"
ls -1t "$dest"/central-*.db.gz | tail -n +"$((keep + 1))" | xargs -r rm --
echo "backup: $out.gz"
