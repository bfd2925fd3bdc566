package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/badgeuse/badgeuse/kiosk/qr/qrtest"
)

// decodeFiles writes a badge as PNG and JPEG, a frame without a code, a
// truncated PNG and a text file, and returns their paths and the badge.
func decodeFiles(t *testing.T) (badgePNG, badgeJPG, empty, broken, notImage, text string) {
	t.Helper()
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(11, 11))
	text = qrtest.BadgeText(rng)
	f, err := qrtest.Render(qrtest.Scene{Texts: []string{text}, ModulePx: 6, Angle: 25, Tilt: 0.05, Blur: 0.5, Noise: 2, Clutter: 15, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	badgePNG, badgeJPG = filepath.Join(dir, "badge.png"), filepath.Join(dir, "badge photo.jpg")
	for _, p := range []string{badgePNG, badgeJPG} {
		if err := qrtest.WriteFile(p, f); err != nil {
			t.Fatal(err)
		}
	}
	e, err := qrtest.Render(qrtest.Scene{Clutter: 30, Noise: 3, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	empty = filepath.Join(dir, "wall.png")
	if err := qrtest.WriteFile(empty, e); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(badgePNG)
	if err != nil {
		t.Fatal(err)
	}
	broken = filepath.Join(dir, "broken.png")
	notImage = filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(broken, data[:len(data)/2], 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(notImage, []byte("hello"), 0o600); err != nil {
		t.Fatal(err)
	}
	return badgePNG, badgeJPG, empty, broken, notImage, text
}

// TestDecodeJSON checks the contract scripts rely on: one JSON object per
// readable file and line, with exactly file, text and ms; unreadable files
// named on stderr, the others still decoded, and a failure at the end.
func TestDecodeJSON(t *testing.T) {
	png, jpg, empty, broken, notImage, text := decodeFiles(t)
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"decode", "--json", png, broken, jpg, notImage, empty}, &stdout, &stderr)
	if !errors.Is(err, errReported) || exitCode(err) == 0 {
		t.Fatalf("error %v, want errReported and a non-zero exit", err)
	}
	for _, bad := range []string{broken, notImage} {
		if !strings.Contains(stderr.String(), bad) {
			t.Errorf("stderr does not name %s:\n%s", bad, stderr.String())
		}
	}
	lines := strings.Split(strings.TrimSuffix(stdout.String(), "\n"), "\n")
	want := []struct{ file, text string }{{png, text}, {jpg, text}, {empty, ""}}
	if len(lines) != len(want) {
		t.Fatalf("got %d lines, want %d:\n%s", len(lines), len(want), stdout.String())
	}
	for i, line := range lines {
		var fields map[string]any
		if err := json.Unmarshal([]byte(line), &fields); err != nil {
			t.Fatalf("line %d is not JSON: %v: %s", i, err, line)
		}
		if len(fields) != 3 {
			t.Errorf("line %d: fields %v, want exactly file, text, ms", i, fields)
		}
		if fields["file"] != want[i].file || fields["text"] != want[i].text {
			t.Errorf("line %d: file %v text %q, want %s %q", i, fields["file"], fields["text"], want[i].file, want[i].text)
		}
		if ms, ok := fields["ms"].(float64); !ok || ms < 0 {
			t.Errorf("line %d: ms %v, want a non-negative number", i, fields["ms"])
		}
	}
}

// TestDecodeHuman checks the readable output and a clean exit.
func TestDecodeHuman(t *testing.T) {
	png, _, empty, _, _, text := decodeFiles(t)
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), []string{"decode", png, empty}, &stdout, &stderr); err != nil {
		t.Fatalf("decode: %v (stderr %s)", err, stderr.String())
	}
	out := stdout.String()
	if !strings.Contains(out, png+": \""+text+"\"") || !strings.Contains(out, empty+": no QR code") {
		t.Errorf("output:\n%s", out)
	}
	if stderr.Len() > 0 {
		t.Errorf("stderr: %s", stderr.String())
	}
}

// TestDecodeUsage fails without files.
func TestDecodeUsage(t *testing.T) {
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"decode", "--json"}, &stdout, &stderr)
	if !errors.Is(err, flag.ErrHelp) || !strings.Contains(stderr.String(), "Usage") {
		t.Errorf("error %v, stderr %q", err, stderr.String())
	}
}
