package doctor

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestLoadEnvFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kioskd.env")
	os.WriteFile(path, []byte("# comment\nDOCTOR_A=1\n\nDOCTOR_B=\"two words\"\nDOCTOR_SET=file\nnot a line\n"), 0o644)
	t.Setenv("DOCTOR_SET", "env")
	t.Setenv("DOCTOR_A", "")
	os.Unsetenv("DOCTOR_A")
	t.Setenv("DOCTOR_B", "")
	os.Unsetenv("DOCTOR_B")
	if err := LoadEnvFile(path); err != nil {
		t.Fatal(err)
	}
	if os.Getenv("DOCTOR_A") != "1" || os.Getenv("DOCTOR_B") != "two words" || os.Getenv("DOCTOR_SET") != "env" {
		t.Errorf("A=%q B=%q SET=%q", os.Getenv("DOCTOR_A"), os.Getenv("DOCTOR_B"), os.Getenv("DOCTOR_SET"))
	}
	if err := LoadEnvFile(filepath.Join(t.TempDir(), "missing")); err != nil {
		t.Errorf("missing file: %v", err)
	}
}

func TestChecks(t *testing.T) {
	dir := t.TempDir()
	if r := Disk(dir, 1); !r.OK {
		t.Errorf("Disk with 1 byte needed: %+v", r)
	}
	if r := Disk(dir, 1<<62); r.OK || r.FixFR == "" || r.FixEN == "" {
		t.Errorf("Disk with 4 EB needed: %+v", r)
	}
	if r := Folder(dir, "kioskd"); !r.OK {
		t.Errorf("Folder: %+v", r)
	}
	if r := Folder(filepath.Join(dir, "missing"), "kioskd"); r.OK {
		t.Errorf("Folder of a missing folder: %+v", r)
	}
	// A certificate nobody trusts fails; plain http is reported, not failed.
	srv := httptest.NewTLSServer(http.NotFoundHandler())
	defer srv.Close()
	if r := Certificate(context.Background(), srv.URL); r.OK {
		t.Errorf("Certificate of a self-signed server: %+v", r)
	}
	if r := Certificate(context.Background(), "http://192.168.1.10:8080"); !r.OK || !strings.Contains(r.Found, "local network") {
		t.Errorf("Certificate of an http URL: %+v", r)
	}
	var b strings.Builder
	if Print(&b, []Result{OK("a", "fine"), Fail("b", "broken", "Réparez.", "Fix it.")}) {
		t.Error("Print reported all OK with a failure")
	}
	want := "OK    a          fine\nFAIL  b          broken\n      → Réparez.\n      → Fix it.\n"
	if b.String() != want {
		t.Errorf("Print wrote\n%s\nwant\n%s", b.String(), want)
	}
}

// TestClock: the clock's verdict from adjtimex's state and status; unsynchronised,
// the fix names the NTP client a minimal Debian lacks (timedatectl set-ntp
// alone answers "NTP not supported" there).
func TestClock(t *testing.T) {
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name   string
		state  int
		status int32
		ok     bool
	}{
		{"synchronised", 0, 0x0001, true},                 // TIME_OK, STA_PLL
		{"unsynchronised (STA_UNSYNC)", 0, 0x0040, false}, // no NTP client ever set it
		{"time error", 5, 0, false},                       // TIME_ERROR
	} {
		r := clock(c.state, c.status, now)
		if r.OK != c.ok || r.Name != "clock" || !strings.Contains(r.Found, "2026-12-07T09:00:00Z") {
			t.Errorf("%s: %+v", c.name, r)
		}
		if c.ok {
			continue
		}
		for _, fix := range []string{r.FixFR, r.FixEN} {
			if !strings.Contains(fix, "sudo timedatectl set-ntp true") || !strings.Contains(fix, "sudo apt install systemd-timesyncd") {
				t.Errorf("%s: the fix does not say how to get an NTP client: %q", c.name, fix)
			}
		}
	}
}
