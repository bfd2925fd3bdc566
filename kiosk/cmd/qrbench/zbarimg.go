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
	"strings"

	"github.com/badgeuse/badgeuse/kiosk"
)

// zbarimg runs the zbarimg command on each frame, saved as a PNG file. Its
// times include writing the file and starting the process (twice when it
// finds one code: see Decode): use it for its read counts, not its speed.
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
	out, err := z.command("--xml", file)
	if err != nil || out == nil {
		return nil, err
	}
	texts, err := parseZbarXML(out)
	if err != nil || len(texts) != 1 {
		return texts, err
	}
	// XML turns CRLF into LF: take the bytes of a single code from --raw,
	// which ends each code with a newline.
	raw, err := z.command("--raw", file)
	if err != nil {
		return nil, err
	}
	return []string{strings.TrimSuffix(string(raw), "\n")}, nil
}

// command runs zbarimg on file for QR codes only; nil output when it found
// none.
func (z *zbarimg) command(format, file string) ([]byte, error) {
	out, err := exec.Command(z.path, "--quiet", format, "-Sdisable", "-Sqrcode.enable", file).Output()
	var exit *exec.ExitError
	if errors.As(err, &exit) && exit.ExitCode() == 4 { // 4: no symbol found
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("zbarimg: %w", err)
	}
	return out, nil
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
