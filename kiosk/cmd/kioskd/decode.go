package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/badgeuse/badgeuse/kiosk/qr"
)

// decodeResult is one line of `kioskd decode --json`. The fields are a
// contract with scripts: do not rename them.
type decodeResult struct {
	File string  `json:"file"`
	Text string  `json:"text"` // the first code's text; "" when none was found
	MS   float64 `json:"ms"`   // time spent decoding the image, milliseconds
}

// runDecode decodes the QR codes in image files (PNG, JPEG): one line per
// file, JSON with --json. A file that cannot be read is reported on stderr
// and skipped; the command then fails at the end.
func runDecode(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("decode", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, `print one JSON object per file: {"file", "text", "ms"}`)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: kioskd decode [--json] FILE...")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return flag.ErrHelp
	}
	d := qr.New()
	defer d.Close()
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	failed := 0
	for _, file := range fs.Args() {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("decode: %w", err)
		}
		res, err := decodeOne(d, file)
		if err != nil {
			fmt.Fprintf(stderr, "kioskd decode: %v\n", err)
			failed++
			continue
		}
		if *asJSON {
			err = enc.Encode(res)
		} else {
			err = printHuman(stdout, res)
		}
		if err != nil {
			return fmt.Errorf("decode: write result: %w", err)
		}
	}
	if failed > 0 {
		fmt.Fprintf(stderr, "kioskd decode: %d of %d files could not be read\n", failed, fs.NArg())
		return errReported
	}
	return nil
}

// decodeOne loads and decodes one file, timing the decoding alone. Its
// errors name the file.
func decodeOne(d *qr.Decoder, file string) (decodeResult, error) {
	f, err := qr.LoadFrame(file)
	if err != nil {
		return decodeResult{}, err
	}
	start := time.Now()
	texts, err := d.Decode(f)
	took := time.Since(start)
	if err != nil {
		return decodeResult{}, fmt.Errorf("%s: %w", file, err)
	}
	res := decodeResult{File: file, MS: float64(took.Microseconds()) / 1000}
	if len(texts) > 0 {
		res.Text = texts[0]
	}
	return res, nil
}

// printHuman prints one result for a person: the text quoted, so that a
// newline or a trailing space in it shows.
func printHuman(w io.Writer, r decodeResult) error {
	var err error
	if r.Text == "" {
		_, err = fmt.Fprintf(w, "%s: no QR code (%.2f ms)\n", r.File, r.MS)
	} else {
		_, err = fmt.Fprintf(w, "%s: %q (%.2f ms)\n", r.File, r.Text, r.MS)
	}
	return err
}
