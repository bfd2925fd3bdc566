package bintest_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/badgeuse/badgeuse/shared/bintest"
)

func TestMain(m *testing.M) { bintest.Main(m) }

// TestBuildOnce builds a small command of the module and gets the same
// file on a second call.
func TestBuildOnce(t *testing.T) {
	bin := bintest.Build(t, "github.com/badgeuse/badgeuse/central/cmd/syncbench")
	if filepath.Base(bin) == "" || !strings.HasSuffix(bin, "syncbench") {
		t.Fatalf("path %q does not name the command", bin)
	}
	fi, err := os.Stat(bin)
	if err != nil || fi.Mode()&0o111 == 0 {
		t.Fatalf("built %s: %v, mode %v", bin, err, fi.Mode())
	}
	if again := bintest.Build(t, "github.com/badgeuse/badgeuse/central/cmd/syncbench"); again != bin {
		t.Fatalf("second Build = %s, want the same file %s", again, bin)
	}
	// The package under test, by its relative path: its own command.
	if self := bintest.Build(t, "../../central/cmd/syncbench"); self == bin || filepath.Base(self) != "syncbench" {
		t.Fatalf("relative path built %s (first %s): want another build of syncbench", self, bin)
	}
}
