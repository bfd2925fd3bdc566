#!/bin/sh
# Tests the off-site backup path the README documents, with restic (from
# Debian) and a repository in a local folder (no network here):
#   1. restic init, then badgeuse-backup (deploy/backup-central.sh) sends the
#      backups folder to the repository (RESTIC_ENV);
#   2. the machine loses its backups, central changes after the backup;
#   3. restic restore latest, then centrald restore of the file found there,
#      gives back the database as it was at the backup.
# Usage: deploy/package/test-offsite.sh CENTRALD_BINARY
set -eu
bin=$(cd "$(dirname "${1:?usage: $0 CENTRALD_BINARY}")" && pwd)/$(basename "$1")
here=$(cd "$(dirname "$0")/../.." && pwd)
step() { echo "test-offsite: $*"; }
fail() { echo "test-offsite: FAIL: $*" >&2; exit 1; }
if ! command -v restic >/dev/null; then
	step "installing restic"
	sudo=""
	[ "$(id -u)" -ne 0 ] && sudo="sudo"
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq restic >/dev/null 2>&1 ||
		{ $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq restic >/dev/null; }
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/bin"
ln -s "$bin" "$tmp/bin/centrald"
PATH="$tmp/bin:$PATH"
export PATH
data=$tmp/central
centrald demo --data "$data" --badges "$tmp/badges.tsv" >/dev/null
before=$(centrald balance --data "$data" --member 1 --json)

step "restic init and badgeuse-backup with $tmp/restic.env"
printf 'correct horse battery staple\n' >"$tmp/password"
cat >"$tmp/restic.env" <<ENV
RESTIC_REPOSITORY=$tmp/repository
RESTIC_PASSWORD_FILE=$tmp/password
ENV
(set -a && . "$tmp/restic.env" && restic init --quiet) >/dev/null
CENTRALD_DATA=$data RESTIC_ENV=$tmp/restic.env sh "$here/deploy/backup-central.sh" "$tmp/backups" |
	grep -q "sent to $tmp/repository" || fail "badgeuse-backup did not send to the repository"

step "the backups are lost, central changes"
rm -rf "$tmp/backups"
# The demo has two spaces: the card is sold by the first (--space).
product=$(centrald product add --data "$data" --space 1 --name "Carte test" --kind pack --entries 10 --price 80 | tail -1)
centrald sell --data "$data" --member 1 --product "$product" >/dev/null
[ "$(centrald balance --data "$data" --member 1 --json)" != "$before" ] || fail "the sale did not change the balance"

step "restic restore latest, then centrald restore"
(set -a && . "$tmp/restic.env" && restic restore latest --quiet --target "$tmp/restored")
file=$(find "$tmp/restored" -name 'central-*.db.gz' | head -1)
[ -n "$file" ] || fail "no central-*.db.gz in the restored snapshot"
centrald restore --data "$data" "$file" >/dev/null
after=$(centrald balance --data "$data" --member 1 --json)
[ "$after" = "$before" ] || fail "balance after restore $after, want $before"
step "OK: backups sent off-site with restic and restored from there"
