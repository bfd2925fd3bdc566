package main

// Hostile and broken input files, with the real binary: image bombs for
// kioskd decode and a folder camera, and unreadable sources with
// --exit-at-eof.

import (
	"bytes"
	"context"
	"crypto/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/kiosk/qr/qrtest"
)

// runBin runs kioskd with args under a timeout and returns its output, its
// peak resident memory in MiB and its error (nil for exit 0).
func runBin(t *testing.T, timeout time.Duration, args ...string) (stdout, stderr string, peakMiB int64, err error) {
	t.Helper()
	kioskd, _, _ := binaries(t)
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, kioskd, args...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err = cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("kioskd %v still running after %v (hangs):\n%s", args, timeout, errOut.String())
	}
	if cmd.ProcessState != nil {
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			peakMiB = ru.Maxrss >> 10 // KiB on Linux
		}
	}
	return out.String(), errOut.String(), peakMiB, err
}

// TestImageBomb: a PNG of a few hundred KiB claiming 20000×20000 pixels made
// kioskd decode use 990 MB and a folder camera 880 MB. It is now refused from
// its header: the command says so, and memory stays at its usual level (the
// same command without the bomb, plus 64 MiB of slack for the garbage
// collector's timing); the badge beside it in the folder is still read.
func TestImageBomb(t *testing.T) {
	dir := t.TempDir()
	bomb := filepath.Join(dir, "00-bomb.png")
	if err := qrtest.WriteBombPNG(bomb, 20000, 20000); err != nil {
		t.Fatal(err)
	}
	badgePNG, _, _, _, _, text := decodeFiles(t)
	data, err := os.ReadFile(badgePNG)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "01-badge.png"), data, 0o600); err != nil {
		t.Fatal(err)
	}

	const slackMiB = 64
	_, _, usual, _ := runBin(t, time.Minute, "decode", "--json", badgePNG)
	stdout, stderr, peak, err := runBin(t, time.Minute, "decode", "--json", bomb, badgePNG)
	t.Logf("kioskd decode: peak %d MiB with the bomb, %d MiB without", peak, usual)
	if err == nil || !strings.Contains(stderr, "image too large") || !strings.Contains(stderr, "20000×20000") {
		t.Errorf("decode of the bomb: err %v, stderr:\n%s", err, stderr)
	}
	if !strings.Contains(stdout, text) {
		t.Errorf("the badge after the bomb was not decoded:\n%s", stdout)
	}
	if peak > usual+slackMiB {
		t.Errorf("kioskd decode peaked at %d MiB on the bomb, %d MiB without it", peak, usual)
	}

	badgeOnly := t.TempDir()
	if err := os.WriteFile(filepath.Join(badgeOnly, "01-badge.png"), data, 0o600); err != nil {
		t.Fatal(err)
	}
	runArgs := func(folder string) []string {
		return []string{"run", "--data", t.TempDir(), "--camera", folder, "--exit-at-eof", "--fast", "--led", "console"}
	}
	_, _, usual, _ = runBin(t, time.Minute, runArgs(badgeOnly)...)
	stdout, stderr, peak, err = runBin(t, time.Minute, runArgs(dir)...)
	t.Logf("kioskd run on a folder: peak %d MiB with the bomb, %d MiB without", peak, usual)
	if err != nil || !strings.Contains(stderr, "image too large") {
		t.Errorf("run on the folder: err %v, stderr:\n%s", err, stderr)
	}
	if ds := parseDecisions(t, stdout); len(ds) != 1 || ds[0].Reason != "unknown_badge" {
		t.Errorf("decisions %+v, want the badge after the bomb (unknown to this kiosk)", ds)
	}
	if peak > usual+slackMiB {
		t.Errorf("kioskd run peaked at %d MiB on a folder with the bomb, %d MiB without it", peak, usual)
	}
}

// TestExitAtEOFUnreadable: with --exit-at-eof, a file camera that cannot be
// opened or read (empty, random bytes, missing, a folder without images)
// ends kioskd with an error naming it, instead of retrying forever.
func TestExitAtEOFUnreadable(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.avi")
	random := filepath.Join(dir, "random.avi")
	noImages := filepath.Join(dir, "no-images")
	junk := make([]byte, 64<<10)
	rand.Read(junk)
	for path, data := range map[string][]byte{empty: nil, random: junk} {
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(noImages, 0o700); err != nil {
		t.Fatal(err)
	}
	for name, src := range map[string]string{"Empty": empty, "Random": random,
		"Missing": filepath.Join(dir, "missing.avi"), "FolderWithoutImages": noImages} {
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			_, stderr, _, err := runBin(t, 30*time.Second, "run", "--data", t.TempDir(), "--camera", src,
				"--exit-at-eof", "--fast", "--led", "console")
			if err == nil || !strings.Contains(stderr, src) || !strings.Contains(stderr, "kioskd: camera") {
				t.Fatalf("err %v, stderr:\n%s", err, stderr)
			}
			t.Logf("exited in %v: %s", time.Since(start).Round(time.Millisecond), lastLine(stderr))
		})
	}
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}
