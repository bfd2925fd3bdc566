package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"
	"time"
)

// listWriter writes the lines of a list command: with --json one JSON
// object per line (their fields are a contract), else aligned columns
// under a header.
type listWriter struct {
	enc *json.Encoder     // --json
	tw  *tabwriter.Writer // else
}

func newListWriter(w io.Writer, asJSON bool, header string) *listWriter {
	if asJSON {
		return &listWriter{enc: json.NewEncoder(w)}
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, header)
	return &listWriter{tw: tw}
}

// line writes one item: v as JSON, or the row (format and args, columns
// separated by tabs, ending with a newline).
func (l *listWriter) line(v any, format string, args ...any) error {
	if l.enc != nil {
		return l.enc.Encode(v)
	}
	_, err := fmt.Fprintf(l.tw, format, args...)
	return err
}

// flush writes the columns out; call it after the last line.
func (l *listWriter) flush() error {
	if l.tw != nil {
		return l.tw.Flush()
	}
	return nil
}

// spaceZone returns the space's time zone (setting space.timezone): the
// days and times a person reads are the space's, whatever the machine's
// zone; JSON keeps UTC.
func spaceZone(ctx context.Context, db *database) (*time.Location, error) {
	set, err := db.Settings.Settings(ctx)
	if err != nil {
		return nil, err
	}
	return set.Location(), nil
}
