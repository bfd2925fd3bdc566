#!/bin/sh
# make demo: central and a kiosk on this machine, with a demo association
# of two spaces (a network, issue 14): with the demo video, a door of the
# second space, L'Annexe, runs first on its own short video.
#
#   CAMERA=0 make demo        read a webcam instead of the demo video
#   DEMO_ADDR=127.0.0.1:9090  another address for central
#   DEMO_DIR=.demo            where the demo's data lives (wiped at start)
#   DEMO_SMTP=127.0.0.1:2525  where the demo's mail catcher listens
#
# The demo's e-mails (welcome, links, receipts, reminders, join and
# password reset) go to a local catcher (bin/mailcatcher), never out: each
# one is a .eml file in $DEMO_DIR/mail, and a line in $DEMO_DIR/mail.log.
#
# Ctrl-C stops both programs.
set -eu
cd "$(dirname "$0")/.."

DIR=${DEMO_DIR:-.demo}
ADDR=${DEMO_ADDR:-127.0.0.1:8080}
CAMERA=${CAMERA:-}
SMTP=${DEMO_SMTP:-127.0.0.1:2525}
EMAIL=bureau@example.org
PASSWORD=badgeuse-demo

if [ -f "$DIR/demo.pid" ] && kill -0 "$(cat "$DIR/demo.pid")" 2>/dev/null; then
	echo "A demo is already running (pid $(cat "$DIR/demo.pid")); stop it with Ctrl-C first." >&2
	exit 1
fi
rm -rf "$DIR"
mkdir -p "$DIR"
echo $$ >"$DIR/demo.pid"
bin/centrald demo --data "$DIR/central" --badges "$DIR/badges.tsv" --annex-badges "$DIR/badges-annexe.tsv" \
	--member-link "$DIR/member-link.txt" >/dev/null
if bin/centrald help 2>&1 | grep -q "admin add"; then
	printf '%s\n' "$PASSWORD" | bin/centrald admin add --data "$DIR/central" --email "$EMAIL" >/dev/null
fi
TOKEN=$(bin/centrald kiosk add --data "$DIR/central" --name "Entrée (démo)" --space 1)
TOKEN_ANNEX=$(bin/centrald kiosk add --data "$DIR/central" --name "Porte de L'Annexe (démo)" --space "L'Annexe")

# E-mail to the local catcher; the join page open.
bin/mailcatcher --addr "$SMTP" --dir "$DIR/mail" >"$DIR/mail.log" 2>&1 &
CATCHER=$!
sleep 0.3
if ! kill -0 "$CATCHER" 2>/dev/null; then
	echo "The mail catcher did not start on $SMTP (pick another with DEMO_SMTP=127.0.0.1:2526):" >&2
	cat "$DIR/mail.log" >&2
	rm -f "$DIR/demo.pid"
	exit 1
fi
for kv in "smtp.host ${SMTP%:*}" "smtp.port ${SMTP##*:}" "smtp.tls none" "smtp.from $EMAIL" "join.enabled true"; do
	# shellcheck disable=SC2086 # two words: key and value
	bin/centrald settings set --data "$DIR/central" $kv >/dev/null
done

CENTRALD_PUBLIC_URL="http://$ADDR" bin/centrald serve --data "$DIR/central" --addr "$ADDR" 2>"$DIR/centrald.log" &
CENTRAL=$!
KIOSK=""
# stop ends both programs and says goodbye, whatever state they are in: a
# Ctrl-C reaches the kiosk and central too, so either may already be gone
# (under set -e a failing kill must not end the script before the goodbye).
stop() {
	status=$?
	trap - INT TERM EXIT
	if [ -n "$KIOSK" ]; then kill "$KIOSK" 2>/dev/null || true; fi
	kill "$CENTRAL" 2>/dev/null || true
	kill "$CATCHER" 2>/dev/null || true
	wait 2>/dev/null || true
	rm -f "$DIR/demo.pid"
	echo
	echo "Demo stopped. Its data stays in $DIR (logs: $DIR/centrald.log)."
	exit "$status"
}
interrupted() {
	(exit 0) # Ctrl-C is how a demo ends: not an error for make
	stop
}
trap interrupted INT TERM
trap stop EXIT

# Wait until this central listens (it logs "centrald listening"), so that
# the kiosk never enrolls with another program that holds the address.
i=0
until grep -q "centrald listening" "$DIR/centrald.log" 2>/dev/null; do
	i=$((i + 1))
	if ! kill -0 "$CENTRAL" 2>/dev/null || [ "$i" -gt 100 ]; then
		if grep -q "address already in use" "$DIR/centrald.log" 2>/dev/null; then
			echo "The address $ADDR is already taken (another demo or program)." >&2
			echo "Pick another one, e.g.: DEMO_ADDR=127.0.0.1:9090 make demo" >&2
			echo "(L'adresse $ADDR est déjà prise : choisissez-en une autre avec DEMO_ADDR.)" >&2
		else
			echo "central did not start on $ADDR:" >&2
			cat "$DIR/centrald.log" >&2
		fi
		exit 1
	fi
	sleep 0.1
done

# Enroll the kiosk as soon as central answers.
i=0
until bin/kioskd enroll --data "$DIR/kiosk" --central "http://$ADDR" --token "$TOKEN" >/dev/null 2>"$DIR/enroll.log"; do
	i=$((i + 1))
	if [ "$i" -gt 50 ] || ! kill -0 "$CENTRAL" 2>/dev/null; then
		echo "central did not start on $ADDR:" >&2
		cat "$DIR/centrald.log" "$DIR/enroll.log" >&2
		exit 1
	fi
	sleep 0.2
done
bin/kioskd enroll --data "$DIR/kiosk-annexe" --central "http://$ADDR" --token "$TOKEN_ANNEX" >/dev/null 2>>"$DIR/enroll.log"

ANNEX=""
if [ -z "$CAMERA" ]; then
	tab=$(printf '\t')
	set --
	while IFS="$tab" read -r text label; do
		set -- "$@" "$text"
	done <"$DIR/badges-annexe.tsv"
	bin/badgevideo -o "$DIR/demo-annexe.avi" -fps 15 -seconds-per-badge 2 -gap 1.5 "$@" >/dev/null
	ANNEX="$DIR/demo-annexe.avi"
	set --
	while IFS="$tab" read -r text label; do
		set -- "$@" "$text"
	done <"$DIR/badges.tsv"
	bin/badgevideo -o "$DIR/demo.avi" -fps 15 -seconds-per-badge 2 -gap 1.5 "$@" >/dev/null
	CAMERA="$DIR/demo.avi"
fi

cat <<MSG

  Badgeuse demo
  ─────────────
  Admin (le bureau):  http://$ADDR/login
                      e-mail $EMAIL   password $PASSWORD
  Join page:          http://$ADDR/join
  A member's page:    http://$ADDR$(cat "$DIR/member-link.txt")
                      (Alice's personal link, as the bureau gives it to her)
  E-mails (caught):   $DIR/mail/*.eml, one line each in $DIR/mail.log
                      (tail -f $DIR/mail.log; open a .eml with a mail program)
  Kiosk camera:       $CAMERA
  The kiosk sees, in order:
MSG
cut -f2 "$DIR/badges.tsv" | sed 's/^/    - /'
cat <<MSG

  Below: one line per scan (the LED), then the decision as JSON.
  Ctrl-C stops the demo.

MSG
if [ -n "$ANNEX" ]; then
	cat <<MSG
  First, the door of the second space, L'Annexe (one central, two spaces):
MSG
	cut -f2 "$DIR/badges-annexe.tsv" | sed 's/^/    - /'
	echo
	bin/kioskd sync --data "$DIR/kiosk-annexe" >/dev/null 2>&1 || true
	bin/kioskd run --data "$DIR/kiosk-annexe" --camera "$ANNEX" --led console --log-level warn --exit-at-eof || true
	echo
	echo "  Then the main space's door, La Ruche des Pentes:"
	echo
fi
bin/kioskd run --data "$DIR/kiosk" --camera "$CAMERA" --led console --log-level warn &
KIOSK=$!
wait "$KIOSK" || true
