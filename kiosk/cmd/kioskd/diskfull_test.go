package main

import (
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/badgeuse/badgeuse/kiosk/qr/qrtest"
)

// smallDisk runs script with sh in a private mount namespace where $MNT is
// a tmpfs of size (e.g. "2m"): a disk that a test can fill without root
// on the real machine (unshare -rm: a user namespace, where the test user
// is root and may mount). It skips where user namespaces are not allowed.
// It returns the script's combined output.
func smallDisk(t *testing.T, size, script string, env ...string) string {
	t.Helper()
	if out, err := exec.Command("unshare", "-rm", "sh", "-c", `mount -t tmpfs -o size=64k tmpfs "$0"`, t.TempDir()).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a small disk here (unshare -rm, mount -t tmpfs): %v %s", err, out)
	}
	mnt := t.TempDir()
	full := "set -u\nmount -t tmpfs -o size=" + size + " tmpfs \"$MNT\"\n" + script
	cmd := exec.Command("unshare", "-rm", "sh", "-c", full)
	cmd.Env = append(append(os.Environ(), "MNT="+mnt), env...)
	out, _ := cmd.CombinedOutput()
	return string(out)
}

// badgeFolder writes n images of distinct badges (unknown to the kiosk)
// into a new folder.
func badgeFolder(t *testing.T, n int) string {
	t.Helper()
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range n {
		f, err := qrtest.Render(qrtest.Scene{Width: 320, Height: 240, Texts: []string{qrtest.BadgeText(rng)}, ModulePx: 4, Seed: uint64(i + 1)})
		if err != nil {
			t.Fatal(err)
		}
		if err := qrtest.WriteFile(filepath.Join(dir, fmt.Sprintf("%03d.png", i)), f); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestDiskFullAtStart: kioskd started on a full disk says "disk full" (in
// French and English) and what to free, instead of SQLite's "disk I/O
// error (4874)", and kioskd status says so too.
func TestDiskFullAtStart(t *testing.T) {
	kioskd, _, _ := binaries(t)
	folder := badgeFolder(t, 1)
	out := smallDisk(t, "1m", `
"$KIOSKD" run --data "$MNT/data" --camera "$FOLDER" --exit-at-eof --fast >/dev/null 2>&1 || echo "FIRST RUN FAILED"
dd if=/dev/zero of="$MNT/fill" bs=4k 2>/dev/null
echo "== run"
"$KIOSKD" run --data "$MNT/data" --camera "$FOLDER" --exit-at-eof --fast; echo "rc=$?"
echo "== status"
"$KIOSKD" status --data "$MNT/data"; echo "rc=$?"
`, "KIOSKD="+kioskd, "FOLDER="+folder)
	run, status, ok := strings.Cut(out, "== status")
	if !ok || strings.Contains(out, "FIRST RUN FAILED") {
		t.Fatalf("script output:\n%s", out)
	}
	for _, want := range []string{"disk full", "disque plein", "journalctl --vacuum-size", "rc=1"} {
		if !strings.Contains(run, want) {
			t.Errorf("kioskd run on a full disk does not say %q:\n%s", want, run)
		}
	}
	for _, want := range []string{`"storage": "disk_full"`, `"disk_free_bytes": 0`, "rc=1"} {
		if !strings.Contains(status, want) {
			t.Errorf("kioskd status on a full disk does not say %q:\n%s", want, status)
		}
	}
}

// TestDiskFillsWhileRunning: the disk fills while the door reads 60
// different badges, then is freed. Each scan gives one outcome: a refusal
// with the translated storage text while full, a recorded decision after;
// the failure is logged when it starts and when it ends, not once per scan.
func TestDiskFillsWhileRunning(t *testing.T) {
	kioskd, _, _ := binaries(t)
	const n = 60
	folder := badgeFolder(t, n)
	out := smallDisk(t, "2m", `
OUT="$MNT/../out"
"$KIOSKD" run --data "$MNT/data" --camera "$FOLDER" --fps 10 --exit-at-eof --log-level info >"$OUT.stdout" 2>"$OUT.stderr" &
pid=$!
i=0
until grep -q "door ready" "$OUT.stderr"; do i=$((i+1)); [ $i -gt 600 ] && break; sleep 0.05; done
dd if=/dev/zero of="$MNT/fill" bs=4k 2>/dev/null
sleep 2.5
rm "$MNT/fill"
wait $pid; echo "rc=$?"
echo "== stdout"; cat "$OUT.stdout"
echo "== stderr"; cat "$OUT.stderr"
`, "KIOSKD="+kioskd, "FOLDER="+folder)
	_, rest, _ := strings.Cut(out, "== stdout\n")
	stdout, stderr, ok := strings.Cut(rest, "== stderr\n")
	if !ok || !strings.Contains(out, "rc=0") {
		t.Fatalf("script output:\n%s", out)
	}
	decided := len(parseDecisions(t, stdout))
	refused := strings.Count(stderr, "ne peut pas enregistrer")
	errorLines := strings.Count(stderr, "level=ERROR")
	t.Logf("%d scans: %d refused while the disk was full, %d recorded; %d ERROR lines", n, refused, decided, errorLines)
	if refused+decided != n {
		t.Errorf("%d refusals + %d decisions for %d badges shown once each: want one outcome per scan\n%s", refused, decided, n, stderr)
	}
	if refused < 5 || decided < 5 {
		t.Errorf("%d refused, %d recorded: the disk did not fill then free as planned\n%s", refused, decided, stderr)
	}
	if strings.Contains(stderr, "storage_error") {
		t.Errorf("the refusal shows its code, not a text:\n%s", stderr)
	}
	if errorLines > 2 {
		t.Errorf("%d ERROR lines for %d refused scans in a few seconds, want the start only (then once a minute)\n%s", errorLines, refused, stderr)
	}
	if !strings.Contains(stderr, "recording again") || !strings.Contains(stderr, "disk full") {
		t.Errorf("the log does not say the disk was full, or that recording resumed:\n%s", stderr)
	}
}
