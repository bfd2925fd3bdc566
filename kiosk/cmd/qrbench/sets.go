package main

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/badgeuse/badgeuse/kiosk"
	"github.com/badgeuse/badgeuse/kiosk/qr"
	"github.com/badgeuse/badgeuse/kiosk/qr/qrtest"
)

// item is one image and what it holds.
type item struct {
	name  string
	frame *kiosk.Frame
	want  string // the expected text; "" for an image without a code
	// also lists other codes really present in the image (a QR code
	// printed inside another): reading them is not a wrong read.
	also []string
}

// imageSet is a named list of images, all with a code or all without.
type imageSet struct {
	name   string
	empty  bool
	items  []item
	detail string
}

// alsoPresent lists the photos holding a second code beside the expected
// one. qrcode-2/16 is a "double QR": a small code drawn inside a big one.
var alsoPresent = map[string][]string{
	"qrcode-2/16": {"[内側QRコード]\r\n\r\n*ダブルQR*\r\nhttp://d-qr.net/ex/"},
}

func loadSets(c config) ([]imageSet, error) {
	var sets []imageSet
	if c.photos != "" {
		codes, empty, err := loadPhotos(c.photos)
		if err != nil {
			return nil, err
		}
		sets = append(sets, codes, empty)
	}
	codes, empty, err := generate(c)
	if err != nil {
		return nil, err
	}
	sets = append(sets, codes, empty)
	wild, err := generateWild(c)
	if err != nil {
		return nil, err
	}
	return append(sets, wild...), nil
}

// loadPhotos reads qrcode-*/N.{png,jpg} with N.txt, and falsepositives-*.
func loadPhotos(dir string) (codes, empty imageSet, err error) {
	codes = imageSet{name: "real photos with a code", detail: dir + "/qrcode-1..6"}
	empty = imageSet{name: "real photos without a code", empty: true, detail: dir + "/falsepositives-2"}
	paths, err := images(dir)
	if err != nil {
		return codes, empty, err
	}
	if len(paths) == 0 {
		return codes, empty, fmt.Errorf("no images in %s/qrcode-*/ (set -photos)", dir)
	}
	for _, p := range paths {
		f, err := qr.LoadFrame(p)
		if err != nil {
			return codes, empty, err
		}
		rel, _ := filepath.Rel(dir, p)
		name := strings.TrimSuffix(filepath.ToSlash(rel), filepath.Ext(rel))
		if strings.HasPrefix(name, "falsepositives") {
			empty.items = append(empty.items, item{name: name, frame: f})
			continue
		}
		want, err := os.ReadFile(strings.TrimSuffix(p, filepath.Ext(p)) + ".txt")
		if err != nil {
			return codes, empty, fmt.Errorf("expected text of %s: %w", p, err)
		}
		codes.items = append(codes.items, item{name: name, frame: f, want: string(want), also: alsoPresent[name]})
	}
	return codes, empty, nil
}

// images lists the PNG and JPEG files of the photo folders, sorted.
func images(dir string) ([]string, error) {
	var paths []string
	for _, pattern := range []string{"qrcode-*/*.png", "qrcode-*/*.jpg", "falsepositives-*/*.png", "falsepositives-*/*.jpg"} {
		m, err := filepath.Glob(filepath.Join(dir, pattern))
		if err != nil {
			return nil, fmt.Errorf("list photos: %w", err)
		}
		paths = append(paths, m...)
	}
	sort.Strings(paths)
	return paths, nil
}

// generate makes the seeded camera-like frames.
func generate(c config) (codes, empty imageSet, err error) {
	codes = imageSet{name: "generated 640x480 frames with a badge",
		detail: fmt.Sprintf("%d frames, seed %d, difficulty uniform in [%.1f, 1]", c.gen, c.seed, minDifficulty)}
	empty = imageSet{name: "generated 640x480 frames without a code", empty: true,
		detail: fmt.Sprintf("%d frames, seed %d", c.empty, c.seed)}
	rng := rand.New(rand.NewPCG(c.seed, 0xbadce))
	for i := 0; i < c.gen+c.empty; i++ {
		var texts []string
		if i < c.gen {
			texts = []string{qrtest.BadgeText(rng)}
		}
		s := qrtest.Random(rng, texts, minDifficulty+(1-minDifficulty)*rng.Float64())
		f, err := qrtest.Render(s)
		if err != nil {
			return codes, empty, err
		}
		if i < c.gen {
			codes.items = append(codes.items, item{name: fmt.Sprintf("gen-%03d", i), frame: f, want: texts[0]})
		} else {
			empty.items = append(empty.items, item{name: fmt.Sprintf("empty-%03d", i-c.gen), frame: f})
		}
	}
	return codes, empty, nil
}

// minDifficulty is the easiest generated frame: easy frames teach nothing,
// every decoder reads them.
const minDifficulty = 0.3

// staticScene renders c.static successive frames of a still wall without a
// code: posters, writing and two finder-like marks (the texture that gives
// kiosk/qr a strong hint on every frame), new sensor noise on each frame,
// the light flickering by up to 3%, 30 frames per second.
func staticScene(c config) (imageSet, error) {
	scene := qrtest.Scene{Clutter: 25, Marks: 2, Noise: 4, Blur: 1, JPEG: 90, Seed: c.seed}
	s := imageSet{name: "still scene without a code, frames in order", empty: true,
		detail: fmt.Sprintf("one textured 640x480 wall (seed %d), %d frames at 30 fps, new noise and up to 3%% flicker on each", c.seed, c.static)}
	rng := rand.New(rand.NewPCG(c.seed, 0x5ca1e))
	at := time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC)
	for i := 0; i < c.static; i++ {
		scene.NoiseSeed = uint64(i + 1)
		scene.Light = 0.97 + 0.06*rng.Float64()
		f, err := qrtest.Render(scene)
		if err != nil {
			return s, err
		}
		f.Time = at.Add(time.Duration(i) * time.Second / 30)
		s.items = append(s.items, item{name: fmt.Sprintf("still-%03d", i), frame: f})
	}
	return s, nil
}
