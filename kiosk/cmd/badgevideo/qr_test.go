package main

import (
	"context"
	"errors"
	"io"
	"path/filepath"
	"testing"

	"github.com/badgeuse/badgeuse/kiosk"
	"github.com/badgeuse/badgeuse/kiosk/camera"
	"github.com/badgeuse/badgeuse/kiosk/camera/badgeclip"
	"github.com/badgeuse/badgeuse/kiosk/qr"
	"github.com/badgeuse/badgeuse/shared/badge"
)

// TestClipDecodesWithKioskQR is the kiosk's own chain on a demo clip: the
// camera reads it, kiosk/qr decodes it, and every text is found.
func TestClipDecodesWithKioskQR(t *testing.T) {
	var texts []string
	for range 2 {
		s, err := badge.New()
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, s.Text())
	}
	texts = append(texts, "https://example.org/not-a-badge")
	path := filepath.Join(t.TempDir(), "demo.avi")
	if _, err := badgeclip.Write(path, texts, badgeclip.Options{}); err != nil {
		t.Fatal(err)
	}
	c, err := camera.New(path, camera.Options{Fast: true})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	dec := qr.New()
	found := map[string]int{}
	var f kiosk.Frame
	for i := 0; ; i++ {
		err := c.Read(context.Background(), &f)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("frame %d: %v", i, err)
		}
		got, err := dec.Decode(&f)
		if err != nil {
			t.Fatalf("frame %d: %v", i, err)
		}
		for _, text := range got {
			found[text]++
		}
	}
	t.Logf("frames decoded per text: %v", found)
	for _, text := range texts {
		if found[text] == 0 {
			t.Errorf("%q never decoded", text)
		}
	}
	if len(found) != len(texts) {
		t.Errorf("decoded %d different texts, want %d: %v", len(found), len(texts), found)
	}
}
