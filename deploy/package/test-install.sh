#!/bin/sh
# Installs the Debian packages of make dist on a clean Debian bookworm, a
# debootstrap chroot (make test-packages; root needed), and checks what a
# volunteer relies on:
#   - both packages install with apt, their dependencies (Debian's OpenCV
#     4.6 runtime for the kiosk) resolved from Debian alone, no compiler;
#   - the users kioskd and centrald exist, /var/lib/kioskd and
#     /var/lib/centrald are theirs (mode 700), the units and configs are in
#     place, /etc/badgeuse/*.env are conffiles kept on upgrade;
#   - centrald version, kioskd version, both doctors run;
#   - centrald serves as the centrald user, and the enrolment line the admin
#     shows (sudo kioskd enroll --data /var/lib/kioskd …, run as root)
#     enrolls the kiosk leaving kiosk.db to kioskd;
#   - centrald backup and restore as root keep the files centrald's;
#   - the units pass systemd-analyze verify (systemd installed in the
#     chroot after the packages);
#   - under systemd: the chroot boots as a systemd-nspawn container, where
#     the packages' postinst (run again: it skips systemctl in a chroot)
#     enables and starts both services; centrald comes up (Type=notify),
#     kioskd reads a video as its camera and syncs with it, a restart
#     works, apt-get remove stops and disables the kiosk, its data stays;
#   - both packages recommend an NTP client, central cron too;
#   - apt-get remove badgeuse-central keeps the data and the backups, and
#     the cron line it keeps says nothing at night;
#   - without the package, sudo deploy/install-central.sh from a checkout
#     finds Go in /usr/local/go/bin (go.dev's place, not on sudo's PATH)
#     and leaves no root-owned bin/ in the checkout.
# systemd does not run in a chroot: there the services are started by hand
# as their users, not by systemctl (the postinst skips systemctl there).
# The container needs systemd-nspawn (Debian's systemd-container, installed
# when missing) and a host that lets it boot (root, cgroups); set
# BADGEUSE_NSPAWN=0 to skip that part where it cannot (the report says so).
#
# The bookworm base system is cached as a tarball in /var/cache/badgeuse
# (made on the first run: a few minutes), apt's downloads too.
set -eu
dist=$(cd "${1:-dist}" && pwd)
[ "$(id -u)" -eq 0 ] || { echo "test-install: run as root (debootstrap, chroot)" >&2; exit 1; }
command -v debootstrap >/dev/null || apt-get install -y -qq debootstrap >/dev/null
arch=$(dpkg --print-architecture)
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
cache=/var/cache/badgeuse
base=$cache/bookworm-$arch-minbase.tar
mkdir -p "$cache/apt-archives/partial"
root=$(mktemp -d /tmp/badgeuse-chroot.XXXXXX)
cleanup() {
	umount "$root/usr/local/go" "$root/root/go/pkg/mod" 2>/dev/null || true
	umount "$root/var/cache/apt/archives" 2>/dev/null || true
	umount "$root/proc" 2>/dev/null || true
	[ -n "${serve_pid:-}" ] && kill "$serve_pid" 2>/dev/null || true
	rm -rf "$root"
}
trap cleanup EXIT
step() { echo "test-install: $*"; }
fail() { echo "test-install: FAIL: $*" >&2; exit 1; }

if [ ! -f "$base" ]; then
	step "debootstrap bookworm ($arch, minbase) into the cache (first run only)"
	debootstrap --variant=minbase --arch="$arch" bookworm "$root" "$mirror" >"$cache/debootstrap.log" 2>&1 ||
		{ tail -20 "$cache/debootstrap.log" >&2; fail "debootstrap"; }
	tar -C "$root" -cf "$base.tmp" . && mv "$base.tmp" "$base"
else
	step "bookworm base system from $base"
	tar -C "$root" -xf "$base"
fi
chmod 0755 "$root" # the chroot's / (a mktemp folder, 0700): its users must get through it
mount -t proc proc "$root/proc"
mount --bind "$cache/apt-archives" "$root/var/cache/apt/archives"
cp /etc/resolv.conf "$root/etc/resolv.conf"
echo "deb $mirror bookworm main" >"$root/etc/apt/sources.list"
inroot() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@"; }

central=$(ls "$dist"/badgeuse-central_*_"$arch".deb | head -1)
kiosk=$(ls "$dist"/badgeuse-kiosk_*_"$arch".deb | head -1)
[ -f "$central" ] && [ -f "$kiosk" ] || fail "no packages for $arch in $dist (make dist)"
cp "$central" "$kiosk" "$root/tmp/"
step "apt install $(basename "$central") $(basename "$kiosk")"
inroot apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive inroot apt-get install -y -qq --no-install-recommends \
	"/tmp/$(basename "$central")" "/tmp/$(basename "$kiosk")" >"$root/tmp/apt.log" 2>&1 ||
	{ tail -30 "$root/tmp/apt.log" >&2; fail "apt install"; }
inroot sh -c 'command -v gcc cc go' >/dev/null && fail "a compiler was installed"
# A first install says the next steps, with the installed paths.
grep -q "badgeuse-kiosk est installé" "$root/tmp/apt.log" || fail "no first-install message from badgeuse-kiosk"
grep -q "/usr/share/doc/badgeuse-kiosk/pi-setup.md" "$root/tmp/apt.log" || fail "the kiosk's message does not name the installed guide"
grep -q "badgeuse-central est installé" "$root/tmp/apt.log" || fail "no first-install message from badgeuse-central"

step "files, users, ownership, recommends"
for f in /usr/bin/centrald /usr/bin/kioskd /lib/systemd/system/centrald.service /lib/systemd/system/kioskd.service \
	/etc/badgeuse/centrald.env /etc/badgeuse/kioskd.env /usr/sbin/badgeuse-backup /etc/cron.d/badgeuse-backup \
	/usr/share/doc/badgeuse-central/copyright /usr/share/doc/badgeuse-kiosk/THIRD_PARTY_NOTICES; do
	[ -e "$root$f" ] || fail "$f missing"
done
for u in centrald kioskd; do
	inroot getent passwd "$u" >/dev/null || fail "user $u missing"
	got=$(inroot stat -c '%U:%G %a' "/var/lib/$u")
	[ "$got" = "$u:$u 700" ] || fail "/var/lib/$u is $got, want $u:$u 700"
done
inroot id -nG kioskd | grep -qw video || fail "kioskd not inroot the video group"
inroot id -nG kioskd | grep -qw gpio || fail "kioskd not inroot the gpio group"
grep -qx /etc/badgeuse/centrald.env "$root/var/lib/dpkg/info/badgeuse-central.conffiles" || fail "centrald.env is not a conffile"
grep -qx /etc/badgeuse/kioskd.env "$root/var/lib/dpkg/info/badgeuse-kiosk.conffiles" || fail "kioskd.env is not a conffile"
grep -q '^ExecStart=/usr/bin/kioskd run' "$root/lib/systemd/system/kioskd.service" || fail "kioskd.service does not start /usr/bin/kioskd"
# What a minimal Debian lacks and apt's default (recommends) then brings:
# an NTP client (the doctors' clock line), cron for the nightly backup.
dpkg-deb -f "$central" Recommends | grep -q 'time-daemon' || fail "badgeuse-central does not recommend an NTP client"
dpkg-deb -f "$central" Recommends | grep -q 'cron' || fail "badgeuse-central does not recommend cron (the nightly backup)"
dpkg-deb -f "$kiosk" Recommends | grep -q 'time-daemon' || fail "badgeuse-kiosk does not recommend an NTP client"

step "versions: $(inroot centrald version) / kioskd $(inroot kioskd version)"
inroot kioskd version | grep -q . || fail "kioskd version (its OpenCV libraries?)"

step "centrald serves as centrald; the admin's enrolment line as root"
port=$((20000 + $$ % 20000))
inroot runuser -u centrald -- centrald member add --data /var/lib/centrald --name Alice >/dev/null || fail "centrald member add as centrald"
token=$(inroot centrald kiosk add --data /var/lib/centrald --name Entrée) || fail "sudo centrald kiosk add"
chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin runuser -u centrald -- centrald serve --data /var/lib/centrald --addr "127.0.0.1:$port" >"$root/tmp/serve.log" 2>&1 &
serve_pid=$!
i=0
until grep -q "centrald listening" "$root/tmp/serve.log"; do
	i=$((i + 1)); [ $i -lt 100 ] || { cat "$root/tmp/serve.log" >&2; fail "centrald serve did not start"; }
	sleep 0.1
done
inroot kioskd enroll --data /var/lib/kioskd --central "http://127.0.0.1:$port" --token "$token" || fail "kioskd enroll as root"
bad=$(inroot find /var/lib/kioskd /var/lib/centrald ! -user kioskd ! -user centrald)
[ -z "$bad" ] || fail "files not owned by the service users: $bad"
inroot runuser -u kioskd -- kioskd status --data /var/lib/kioskd >/dev/null || fail "kioskd status as kioskd after a root enroll"
out=$(inroot runuser -u nobody -- kioskd status --data /var/lib/kioskd 2>&1) && fail "kioskd status as nobody succeeded"
echo "$out" | grep -q "sudo kioskd status --data /var/lib/kioskd" || fail "refusal without the command to type: $out"

step "doctors"
if inroot centrald help 2>&1 | grep -q doctor; then
	inroot env CENTRALD_ADDR="127.0.0.1:$port" centrald doctor --data /var/lib/centrald || echo "test-install: centrald doctor reported problems (above)"
	inroot kioskd doctor --data /var/lib/kioskd || echo "test-install: kioskd doctor reported problems (above): no camera nor GPIO in a chroot"
fi

step "backup while serving, restore when stopped, as root"
inroot badgeuse-backup /var/backups/badgeuse >/dev/null || fail "badgeuse-backup"
kill "$serve_pid"; wait "$serve_pid" 2>/dev/null || true; serve_pid=
backup=$(inroot sh -c 'ls -t /var/backups/badgeuse/central-*.db.gz | head -1')
inroot centrald restore --data /var/lib/centrald "$backup" >/dev/null || fail "centrald restore"
bad=$(inroot find /var/lib/centrald ! -user centrald)
[ -z "$bad" ] || fail "files not owned by centrald after restore: $bad"

step "upgrade keeps an edited configuration"
echo "CENTRALD_ADDR=127.0.0.1:9999" >>"$root/etc/badgeuse/centrald.env"
out=$(DEBIAN_FRONTEND=noninteractive inroot dpkg -i --force-confdef --force-confold "/tmp/$(basename "$central")" 2>&1) || fail "reinstall: $out"
# Not the first steps again: one line.
echo "$out" | grep -q "badgeuse-central réinstallé" || fail "no reinstall line: $out"
echo "$out" | grep -q "est installé" && fail "the first steps again on a reinstall: $out"
grep -q 9999 "$root/etc/badgeuse/centrald.env" || fail "the upgrade replaced the edited centrald.env"

step "systemd-analyze verify of the units (systemd installed in the chroot)"
DEBIAN_FRONTEND=noninteractive inroot apt-get install -y -qq --no-install-recommends systemd >"$root/tmp/apt-systemd.log" 2>&1 ||
	{ tail -30 "$root/tmp/apt-systemd.log" >&2; fail "apt install systemd"; }
# verify exits 0 on a setting it ignores (a key in the wrong section): any
# word it says is a failure.
out=$(inroot systemd-analyze verify centrald.service kioskd.service 2>&1) || fail "systemd-analyze verify: $out"
[ -z "$out" ] || fail "systemd-analyze verify: $out"

nspawn=${BADGEUSE_NSPAWN:-1}
if [ "$nspawn" != 0 ]; then
	command -v systemd-nspawn >/dev/null || apt-get install -y -qq --no-install-recommends systemd-container >/dev/null
	# Can this machine run a container at all (namespaces, mounts)? A
	# machine that cannot is said loudly and the part skipped; once a
	# container runs, any failure of the boot or of the test fails.
	if ! probe=$(systemd-nspawn --quiet --register=no --keep-unit --private-network -D "$root" /bin/true 2>&1 </dev/null); then
		step "SKIPPED: this machine cannot run a systemd-nspawn container, the services were not started under systemd ($(echo "$probe" | tail -1))"
		nspawn=0
	fi
fi
if [ "$nspawn" = 0 ]; then
	[ "${BADGEUSE_NSPAWN:-1}" != 0 ] || step "SKIPPED (BADGEUSE_NSPAWN=0): starting the services under systemd in a systemd-nspawn container"
else
	step "the services under systemd, in a systemd-nspawn container"
	# The kiosk's camera is a video of three badges (looped); its outcomes go
	# to the journal. Central listens where the kiosk was enrolled.
	(cd "$(dirname "$0")/../.." && go run ./kiosk/cmd/badgevideo -o "$root/var/lib/kioskd/door.avi" -fps 10 \
		-seconds-per-badge 0.6 -gap 0.4 BG1:AAAAAAAAAAAAAAAAAAAAAAAAAA BG1:BBBBBBBBBBBBBBBBBBBBBBBBBB https://example.org/not-a-badge >/dev/null)
	inroot chown kioskd:kioskd /var/lib/kioskd/door.avi
	printf 'KIOSKD_CAMERA=/var/lib/kioskd/door.avi\nKIOSKD_LED=console\n' >>"$root/etc/badgeuse/kioskd.env"
	echo "CENTRALD_ADDR=127.0.0.1:$port" >>"$root/etc/badgeuse/centrald.env"
	kioskd_version=$(inroot kioskd version)
	cat >"$root/usr/local/sbin/badgeuse-boot-test" <<'TEST'
#!/bin/sh
# Runs once the container has booted (badgeuse-boot-test.service), then
# powers it off; its output is /boot-test.log, its last line OK or FAIL.
set -u
kioskd_version=$1
fail() {
	echo "FAIL: $*"
	systemctl --no-pager status centrald kioskd 2>&1 | tail -40
	systemctl start --no-block poweroff.target
	exit 1
}
# What the postinst does on a machine where systemd runs.
/var/lib/dpkg/info/badgeuse-central.postinst configure >/dev/null || fail "badgeuse-central postinst"
/var/lib/dpkg/info/badgeuse-kiosk.postinst configure >/dev/null || fail "badgeuse-kiosk postinst"
for u in centrald kioskd; do
	[ "$(systemctl is-enabled $u)" = enabled ] || fail "$u.service not enabled by the postinst"
	[ "$(systemctl is-active $u)" = active ] || fail "$u.service not active after the postinst (Type=notify: ready)"
done
echo "centrald and kioskd enabled and active"
# kioskd reads its video, refuses the QR code that is no badge (a URL)
# and sends its entries.
i=0
until journalctl --no-pager -u kioskd -o cat | grep -q '"reason":"not_a_badge"'; do
	i=$((i + 1)); [ $i -lt 60 ] || fail "no door decision in kioskd's journal"
	sleep 1
done
echo "kioskd decides at the door under systemd: $(journalctl --no-pager -u kioskd -o cat | grep -c '"reason":"not_a_badge"') not_a_badge in its journal"
# libgcrypt (FFmpeg's libssh, which OpenCV loads) locks 16 KiB of memory
# at start; the unit must let it (systemd's LimitMEMLOCK is 8M), or it
# says "Warning: using insecure memory!" at every start.
! journalctl --no-pager -u kioskd -o cat | grep -q "insecure memory" || fail "kioskd's journal says libgcrypt's 'Warning: using insecure memory!': mlock refused under the unit"
i=0
until runuser -u centrald -- centrald kiosk list --data /var/lib/centrald --json | grep -q "\"version\":\"$kioskd_version\""; do
	i=$((i + 1)); [ $i -lt 60 ] || fail "the kiosk never synced with central: $(runuser -u centrald -- centrald kiosk list --data /var/lib/centrald --json)"
	sleep 1
done
echo "kioskd synced with centrald (central lists its version $kioskd_version)"
systemctl restart centrald kioskd || fail "systemctl restart"
for u in centrald kioskd; do
	[ "$(systemctl is-active $u)" = active ] || fail "$u.service not active after a restart"
done
echo "restarted"
DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq badgeuse-kiosk >/dev/null 2>&1 || fail "apt-get remove badgeuse-kiosk"
[ "$(systemctl is-active kioskd)" != active ] || fail "kioskd still runs after apt-get remove"
[ -f /var/lib/kioskd/kiosk.db ] || fail "apt-get remove deleted the kiosk's data"
echo "apt-get remove badgeuse-kiosk stopped kioskd and kept /var/lib/kioskd"
echo OK
systemctl start --no-block poweroff.target
TEST
	chmod 0755 "$root/usr/local/sbin/badgeuse-boot-test"
	cat >"$root/etc/systemd/system/badgeuse-boot-test.service" <<UNIT
[Unit]
Description=Badgeuse package test (deploy/package/test-install.sh)
After=multi-user.target
[Service]
Type=oneshot
ExecStart=/usr/local/sbin/badgeuse-boot-test $kioskd_version
StandardOutput=file:/boot-test.log
StandardError=inherit
[Install]
WantedBy=multi-user.target
UNIT
	ln -s /etc/systemd/system/badgeuse-boot-test.service "$root/etc/systemd/system/multi-user.target.wants/badgeuse-boot-test.service"
	umount "$root/var/cache/apt/archives" "$root/proc"
	# No system bus here to register with; a private network (loopback only).
	# mlock allowed, as on a real machine: systemd-nspawn's seccomp filter
	# refuses it by default (no CAP_IPC_LOCK), which made libgcrypt warn
	# "using insecure memory" in kioskd's journal here and nowhere else.
	timeout 300 systemd-nspawn --quiet --boot --register=no --keep-unit --private-network --system-call-filter=@memlock -D "$root" </dev/null >"$cache/nspawn.log" 2>&1 || true
	[ -f "$root/boot-test.log" ] || { tail -30 "$cache/nspawn.log" >&2; fail "the container did not boot to the test (systemd-nspawn; BADGEUSE_NSPAWN=0 skips this part)"; }
	sed 's/^/test-install:   /' "$root/boot-test.log"
	[ "$(tail -1 "$root/boot-test.log")" = OK ] || fail "under systemd (above; the container's boot: $cache/nspawn.log)"
fi
step "apt-get remove badgeuse-central: data and backups kept, the nightly line (kept too) quiet"
mountpoint -q "$root/proc" || mount -t proc proc "$root/proc"
DEBIAN_FRONTEND=noninteractive inroot apt-get remove -y -qq badgeuse-central >/dev/null 2>&1 || fail "apt-get remove badgeuse-central"
[ -f "$root/var/lib/centrald/central.db" ] || fail "apt-get remove deleted central's data"
inroot sh -c 'ls /var/backups/badgeuse/central-*.db.gz' >/dev/null || fail "apt-get remove deleted the backups"
# The command of the cron line, as cron runs it at 03:30: any word it says
# would be mailed to root every night.
cmd=$(grep -v '^#' "$root/etc/cron.d/badgeuse-backup" | grep . | cut -d' ' -f7-)
[ -n "$cmd" ] || fail "no line in /etc/cron.d/badgeuse-backup after apt-get remove"
out=$(inroot sh -c "$cmd" 2>&1) || true
[ -z "$out" ] || fail "after apt-get remove, the kept cron line says every night: $out"

# Without the package, as the README says: sudo deploy/install-central.sh
# from a checkout builds centrald with Go installed as https://go.dev/dl
# says, in /usr/local/go/bin: on the volunteer's PATH, not on the one sudo
# gives root (inroot's). Go and the modules make dist used are lent read
# only (no network for Go here); the checkout is this one's files.
step "sudo deploy/install-central.sh from a checkout, Go in /usr/local/go only"
mountpoint -q "$root/proc" || mount -t proc proc "$root/proc"
mkdir -p "$root/usr/local/go" "$root/root/go/pkg/mod" "$root/src/badgeuse"
mount -o bind,ro "$(go env GOROOT)" "$root/usr/local/go"
mount -o bind,ro "$(go env GOMODCACHE)" "$root/root/go/pkg/mod"
(cd "$(dirname "$0")/../.." && git ls-files -z | xargs -0 tar -c --no-recursion) | tar -C "$root/src/badgeuse" -x
inroot sh -c 'command -v go' >/dev/null && fail "go is on the PATH sudo gives: this step would not test the script's lookup"
out=$(inroot env GOPROXY=off GOFLAGS=-mod=readonly /src/badgeuse/deploy/install-central.sh 2>&1) || fail "deploy/install-central.sh: $out"
umount "$root/usr/local/go" "$root/root/go/pkg/mod"
[ ! -e "$root/src/badgeuse/bin" ] || fail "deploy/install-central.sh left a root-owned bin/ in the checkout"
inroot centrald version >/dev/null || fail "centrald version after deploy/install-central.sh"
step "OK: packages install on a clean bookworm ($arch) and work without a compiler or a manual fix"
