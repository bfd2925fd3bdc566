package sqlite_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/badgeuse/badgeuse/kiosk"
	"github.com/badgeuse/badgeuse/kiosk/sqlite"
)

// TestDoorNames (issue 12): the kiosk keeps the first names central sends
// (Lookup gives them to the door screen) and a new one with the member's
// next change; told door.show_names is off, it drops every name it holds
// and stores none; turned on again during an incremental pull, it asks
// for a snapshot next (cursor 0), since its members came without names.
func TestDoorNames(t *testing.T) {
	db := mustOpen(t, t.TempDir())
	on := kiosk.RawSettings{Space: "A", ShowNames: true}
	named := func(id int64, b byte, name string) kiosk.Member {
		m := member(id, b)
		m.Name = name
		return m
	}
	apply(t, db, true, kiosk.Changes{Snapshot: true, Cursor: 5, Settings: on,
		Members: []kiosk.Member{named(1, 1, "Alice"), named(2, 2, "")}})
	if h := lookup(t, db, 1); h.Name != "Alice" {
		t.Fatalf("member 1's name %q, want Alice", h.Name)
	}
	if h := lookup(t, db, 2); h.Name != "" {
		t.Fatalf("member 2's name %q, want none", h.Name)
	}
	alicia := named(1, 1, "Alicia")
	alicia.Lang = "en"
	apply(t, db, true, kiosk.Changes{Cursor: 6, Settings: on, Members: []kiosk.Member{alicia}})
	if h := lookup(t, db, 1); h.Name != "Alicia" || h.Lang != "en" {
		t.Fatalf("after her change, member 1's name %q and language %q, want Alicia, en", h.Name, h.Lang)
	}
	if h := lookup(t, db, 2); h.Lang != "" {
		t.Fatalf("member 2's language %q, want none (French)", h.Lang)
	}
	if c, _ := db.PullCursor(ctx); c != 6 {
		t.Fatalf("cursor %d, want 6", c)
	}

	// Off: names dropped, and none stored even if sent.
	off := kiosk.RawSettings{Space: "A"}
	apply(t, db, true, kiosk.Changes{Cursor: 7, Settings: off, Members: []kiosk.Member{named(2, 2, "Bruno")}})
	for b := byte(1); b <= 2; b++ {
		if h := lookup(t, db, b); h.Name != "" || h.Member == 0 {
			t.Fatalf("with names off, member %d holds name %q", h.Member, h.Name)
		}
	}
	if c, _ := db.PullCursor(ctx); c != 7 {
		t.Fatalf("cursor %d, want 7", c)
	}

	// On again, in an incremental pull of two pages: the last page sets
	// the cursor to 0 (a snapshot next), which brings the names.
	apply(t, db, true, kiosk.Changes{Cursor: 8, More: true, Settings: on, Members: []kiosk.Member{named(2, 2, "Bruno")}})
	apply(t, db, false, kiosk.Changes{Cursor: 8, Settings: on})
	if c, _ := db.PullCursor(ctx); c != 0 {
		t.Fatalf("after names were turned on, cursor %d, want 0 (a snapshot next)", c)
	}
	if h := lookup(t, db, 2); h.Name != "Bruno" {
		t.Fatalf("member 2's name %q, want Bruno", h.Name)
	}
	apply(t, db, true, kiosk.Changes{Snapshot: true, Cursor: 9, Settings: on,
		Members: []kiosk.Member{named(1, 1, "Alicia"), named(2, 2, "Bruno")}})
	if c, _ := db.PullCursor(ctx); c != 9 {
		t.Fatalf("after the snapshot, cursor %d, want 9", c)
	}
	if h := lookup(t, db, 1); h.Name != "Alicia" {
		t.Fatalf("after the snapshot, member 1's name %q, want Alicia", h.Name)
	}
	apply(t, db, true, kiosk.Changes{Cursor: 10, Settings: on})
	if c, _ := db.PullCursor(ctx); c != 10 {
		t.Fatalf("once names are held, cursor %d, want 10 (no more snapshots)", c)
	}
}

// TestDoorNamesLeaveTheFiles: names turned off leave no trace in the
// kiosk's files (the database and its write-ahead log), where a stolen
// card could still be read.
func TestDoorNamesLeaveTheFiles(t *testing.T) {
	dir := t.TempDir()
	db := mustOpen(t, dir)
	var ms []kiosk.Member
	for i := range 50 {
		m := member(int64(i+1), byte(i+1))
		m.Name = "Amandine"
		if i == 20 {
			m.Name = "Zéphyrine"
		}
		ms = append(ms, m)
	}
	apply(t, db, true, kiosk.Changes{Snapshot: true, Cursor: 5, Settings: kiosk.RawSettings{Space: "A", ShowNames: true},
		Members: ms})
	if !filesHold(t, dir, "Zéphyrine") {
		t.Fatal("the name is not in the files: the test reads the wrong files")
	}
	apply(t, db, true, kiosk.Changes{Cursor: 6, Settings: kiosk.RawSettings{Space: "A"}})
	if filesHold(t, dir, "Zéphyrine") {
		t.Fatal("names turned off, the kiosk's files still hold one")
	}
}

func filesHold(t *testing.T, dir, text string) bool {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, sqlite.FileName+"*"))
	if err != nil || len(files) == 0 {
		t.Fatalf("files %v: %v", files, err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte(text)) {
			return true
		}
	}
	return false
}
