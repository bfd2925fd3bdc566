package main

import (
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/badgeuse/badgeuse/kiosk"
)

// zbarimg runs the zbarimg command on each frame, saved as a PNG file. Its
// times include writing the file and starting the process: use it for its
// read counts, not its speed.
type zbarimg struct {
	path string
	dir  string
}

func newZbarimg() (*zbarimg, error) {
	path, err := exec.LookPath("zbarimg")
	if err != nil {
		return nil, fmt.Errorf("zbarimg (Debian package zbar-tools): %w", err)
	}
	dir, err := os.MkdirTemp("", "qrbench-")
	if err != nil {
		return nil, fmt.Errorf("zbarimg: %w", err)
	}
	return &zbarimg{path: path, dir: dir}, nil
}

func (z *zbarimg) Name() string { return "zbarimg (subprocess, times include process start)" }

func (z *zbarimg) Close() { os.RemoveAll(z.dir) }

func (z *zbarimg) Decode(f *kiosk.Frame) ([]string, error) {
	file := filepath.Join(z.dir, "frame.png")
	g := &image.Gray{Pix: f.Pix, Stride: f.Stride, Rect: image.Rect(0, 0, f.Width, f.Height)}
	var buf bytes.Buffer
	if err := png.Encode(&buf, g); err != nil {
		return nil, fmt.Errorf("zbarimg: %w", err)
	}
	if err := os.WriteFile(file, buf.Bytes(), 0o600); err != nil {
		return nil, fmt.Errorf("zbarimg: %w", err)
	}
	out, err := exec.Command(z.path, "--quiet", "--xml", "-Sdisable", "-Sqrcode.enable", file).Output()
	var exit *exec.ExitError
	if errors.As(err, &exit) && exit.ExitCode() == 4 { // 4: no symbol found
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("zbarimg: %w", err)
	}
	return parseZbarXML(out)
}

// parseZbarXML reads the symbols' data from zbarimg's XML output.
func parseZbarXML(out []byte) ([]string, error) {
	var doc struct {
		Symbols []struct {
			Data struct {
				Format string `xml:"format,attr"`
				Text   string `xml:",chardata"`
			} `xml:"data"`
		} `xml:"source>index>symbol"`
	}
	if err := xml.Unmarshal(out, &doc); err != nil {
		return nil, fmt.Errorf("zbarimg output: %w", err)
	}
	var texts []string
	for _, s := range doc.Symbols {
		t := s.Data.Text
		if s.Data.Format == "base64" {
			b, err := base64.StdEncoding.DecodeString(t)
			if err != nil {
				return nil, fmt.Errorf("zbarimg base64 data: %w", err)
			}
			t = string(b)
		}
		texts = append(texts, t)
	}
	return texts, nil
}
