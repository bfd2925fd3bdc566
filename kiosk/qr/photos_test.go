package qr_test

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/badgeuse/badgeuse/kiosk/qr"
)

// photoSet is a folder of real QR photos (ZXing's black-box test images),
// and what the decoder must do on it.
type photoSet struct {
	dir string
	// codes and empty are the numbers of photos with a code and images
	// without one that the folder must hold.
	codes, empty int
	// minReads is, per folder, the number of photos this decoder read when
	// the floor was set: a regression floor; raise it when the decoder
	// gets better.
	minReads map[string]int
}

// pinned is the subset kept in testdata (every fifth photo; see its
// README.md and LICENSE): it runs on any clone.
var pinned = photoSet{dir: "testdata/photos", codes: 37, empty: 5, minReads: map[string]int{
	"qrcode-1": 4, "qrcode-2": 7, "qrcode-3": 9, "qrcode-4": 10, "qrcode-5": 4, "qrcode-6": 3,
}}

// full is the whole set shared by the project, relative to this package:
// 176 of 179 read when the floor was set, since the fitted outline
// (fitted.go; plain gozxing reads 157, zxing-cpp 1.4 162, any of
// zxing-cpp, zbar and kiosk/qr 176; 169 before the bent sampler, 174
// before corner.go, 175 before fitted.go).
var full = photoSet{dir: "../../../shared/qr-photos", codes: 179, empty: 25, minReads: map[string]int{
	"qrcode-1": 20, "qrcode-2": 34, "qrcode-3": 42, "qrcode-4": 46, "qrcode-5": 19, "qrcode-6": 15,
}}

// alsoPresent lists second codes really printed in a photo: reading them is
// not a wrong read. qrcode-2/16 is a "double QR", a code inside a code.
var alsoPresent = map[string][]string{
	"qrcode-2/16": {"[内側QRコード]\r\n\r\n*ダブルQR*\r\nhttp://d-qr.net/ex/"},
}

// eachSet runs fn on the pinned photos, always, and on the full set when
// ../shared/qr-photos exists.
func eachSet(t *testing.T, fn func(t *testing.T, s photoSet)) {
	t.Run("Pinned", func(t *testing.T) { fn(t, pinned) })
	t.Run("Full", func(t *testing.T) {
		if _, err := os.Stat(full.dir); os.IsNotExist(err) {
			t.Skipf("no photos at %s", full.dir)
		}
		fn(t, full)
	})
}

// TestRealPhotos decodes real photos of QR codes and compares the texts
// byte for byte with the expected ones (some end with a newline or CRLF,
// some are Shift_JIS): no wrong read, and at least the floor per folder.
func TestRealPhotos(t *testing.T) {
	eachSet(t, func(t *testing.T, set photoSet) {
		dir := set.dir
		d := qr.New()
		defer d.Close()
		paths, _ := filepath.Glob(filepath.Join(dir, "qrcode-*", "*.png"))
		jpgs, _ := filepath.Glob(filepath.Join(dir, "qrcode-*", "*.jpg"))
		paths = append(paths, jpgs...)
		if len(paths) < set.codes {
			t.Fatalf("found %d photos in %s, want %d", len(paths), dir, set.codes)
		}
		sort.Strings(paths)
		reads := map[string]int{}
		total := 0
		for _, p := range paths {
			want, err := os.ReadFile(strings.TrimSuffix(p, filepath.Ext(p)) + ".txt")
			if err != nil {
				t.Fatal(err)
			}
			texts, err := d.DecodeFile(p)
			if err != nil {
				t.Errorf("%s: %v", p, err)
				continue
			}
			rel, _ := filepath.Rel(dir, p)
			name := strings.TrimSuffix(filepath.ToSlash(rel), filepath.Ext(rel))
			for _, text := range texts {
				if text == string(want) {
					reads[filepath.Dir(name)]++
					total++
				} else if !contains(alsoPresent[name], text) {
					t.Errorf("%s: wrong read %q, want %q", name, text, want)
				}
			}
		}
		// One decoder reads the photos one after the other: its memory of
		// the last empty scene must never take a photo for the one before.
		if n := qr.SceneSkips(d); n > 0 {
			t.Errorf("deep passes skipped on %d photos taken for the previous one", n)
		}
		for folder, floor := range set.minReads {
			if reads[folder] < floor {
				t.Errorf("%s: %d photos read, want at least %d", folder, reads[folder], floor)
			}
		}
		t.Logf("read %d/%d photos: %v", total, len(paths), reads)
	})
}

// TestFalsePositives decodes ZXing's images without a QR code: nothing may
// come out.
func TestFalsePositives(t *testing.T) {
	eachSet(t, func(t *testing.T, set photoSet) {
		dir := set.dir
		d := qr.New()
		defer d.Close()
		paths, _ := filepath.Glob(filepath.Join(dir, "falsepositives-*", "*.png"))
		if len(paths) < set.empty {
			t.Fatalf("found %d images in %s/falsepositives-*, want %d", len(paths), dir, set.empty)
		}
		for _, p := range paths {
			texts, err := d.DecodeFile(p)
			if err != nil {
				t.Errorf("%s: %v", p, err)
			}
			if len(texts) > 0 {
				t.Errorf("%s: read %q in an image without a code", p, texts)
			}
		}
		if n := qr.SceneSkips(d); n > 0 {
			t.Errorf("deep passes skipped on %d images taken for the previous one", n)
		}
	})
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
