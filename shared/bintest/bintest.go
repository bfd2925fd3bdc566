// Package bintest builds the project's commands for end-to-end tests, which
// run the real binaries (kioskd, centrald, badgevideo) as a volunteer would:
// one way to build them, once per test process, for every package's tests.
//
// Call Build from a test; call Main from the package's TestMain so that the
// binaries are removed when the tests end. RoundRobin puts several running
// centrald behind one address, and Buffer collects a process's output
// while the test reads it (proxy.go). OpenPTY gives a command a
// pseudo-terminal, for what it does only at a terminal (pty_linux.go).
package bintest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

var (
	mu     sync.Mutex
	dir    string                // the folder of this process's builds
	builds = map[string]*build{} // by package and working folder
)

type build struct {
	once sync.Once
	path string // where it is built
	err  error
}

// Build returns the path of the command built from pkg: "." for the
// package under test, or an import path such as
// "github.com/badgeuse/badgeuse/central/cmd/centrald". The first call for a
// package builds it (with the Go toolchain that runs the tests); later
// calls in the same process return the same file. With -short, Build skips
// the test: building takes time.
func Build(t testing.TB, pkg string) string {
	t.Helper()
	if testing.Short() {
		t.Skip("end-to-end test: builds the binary; skipped with -short")
	}
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	if dir == "" {
		if dir, err = os.MkdirTemp("", "bintest-"); err != nil {
			mu.Unlock()
			t.Fatal(err)
		}
	}
	key := wd + "\x00" + pkg
	b := builds[key]
	if b == nil {
		// Its own subfolder: two packages may build commands of one name.
		b = &build{path: filepath.Join(dir, fmt.Sprint(len(builds)), name(wd, pkg))}
		builds[key] = b
	}
	mu.Unlock()
	b.once.Do(func() {
		// The toolchain that built the test builds the binaries: a test
		// runs where it was built.
		//lint:ignore SA1019 see above
		cmd := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "build", "-o", b.path, pkg)
		if msg, err := cmd.CombinedOutput(); err != nil {
			b.err = fmt.Errorf("go build %s: %v\n%s", pkg, err, msg)
		}
	})
	if b.err != nil {
		t.Fatal(b.err)
	}
	return b.path
}

// name is the command's name: the last element of its package path.
func name(wd, pkg string) string {
	if pkg == "." || strings.HasPrefix(pkg, "./") || strings.HasPrefix(pkg, "../") {
		return filepath.Base(filepath.Join(wd, pkg))
	}
	return filepath.Base(pkg)
}

// Main runs the tests, removes the binaries Build made, runs the cleanups
// (a test server to stop), and exits with the tests' status. Call it from
// TestMain.
func Main(m *testing.M, cleanups ...func()) {
	code := m.Run()
	for _, c := range cleanups {
		c()
	}
	mu.Lock()
	if dir != "" {
		os.RemoveAll(dir)
	}
	mu.Unlock()
	os.Exit(code)
}
