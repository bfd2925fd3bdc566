package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/badgeuse/badgeuse/kiosk"
	"github.com/badgeuse/badgeuse/kiosk/camera"
)

// TestRenderAndReadBack writes a clip of 3 texts and reads it back through
// the kiosk's camera.
func TestRenderAndReadBack(t *testing.T) {
	out := filepath.Join(t.TempDir(), "demo.avi")
	var stdout, stderr bytes.Buffer
	args := []string{"-o", out, "-fps", "10", "-seconds-per-badge", "1", "-gap", "0.5", "-size", "320x240",
		"BG1:AAAAAAAAAAAAAAAAAAAAAAAA", "BG1:BBBBBBBBBBBBBBBBBBBBBBBB", "hello"}
	if err := run(args, &stdout, &stderr); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	const want = 5 + 3*(10+5) // gap, then each badge and a gap
	if !strings.Contains(stdout.String(), "3 badges, 50 frames") {
		t.Errorf("output %q does not report 3 badges and %d frames", stdout.String(), want)
	}

	c, err := camera.New(out, camera.Options{Fast: true})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var f kiosk.Frame
	n := 0
	for {
		err := c.Read(context.Background(), &f)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("frame %d: %v", n, err)
		}
		if f.Width != 320 || f.Height != 240 {
			t.Fatalf("frame %d: %dx%d, want 320x240", n, f.Width, f.Height)
		}
		n++
	}
	if n != want {
		t.Errorf("read %d frames, want %d", n, want)
	}
}

func TestBadArguments(t *testing.T) {
	dir := t.TempDir()
	for name, args := range map[string][]string{
		"no output":    {"BG1:X"},
		"no text":      {"-o", filepath.Join(dir, "a.avi")},
		"bad size":     {"-o", filepath.Join(dir, "a.avi"), "-size", "640by480", "BG1:X"},
		"zero seconds": {"-o", filepath.Join(dir, "a.avi"), "-seconds-per-badge", "0", "BG1:X"},
		"unknown flag": {"-o", filepath.Join(dir, "a.avi"), "-colour", "BG1:X"},
	} {
		t.Run(name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if err := run(args, &stdout, &stderr); err == nil {
				t.Errorf("run(%q) succeeded", args)
			}
		})
	}
}
