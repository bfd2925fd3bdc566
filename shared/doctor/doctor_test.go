package doctor

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
