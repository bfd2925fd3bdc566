package datadir

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

const owner = 4242 // a service user's uid and gid

func ownerOf(t *testing.T, path string) int {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return int(info.Sys().(*syscall.Stat_t).Uid)
}

func TestPrepareAsRoot(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root")
	}
	dir := filepath.Join(t.TempDir(), "data")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(dir, owner, owner); err != nil {
		t.Fatal(err)
	}
	// Left by an earlier command run as root: the service could not open it.
	if err := os.WriteFile(filepath.Join(dir, "kiosk.db"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	done, err := Prepare(dir, "no-such-user-here")
	if err != nil {
		t.Fatal(err)
	}
	if got := ownerOf(t, filepath.Join(dir, "kiosk.db")); got != owner {
		t.Errorf("file left by root owned by %d after Prepare, want %d", got, owner)
	}
	if err := os.WriteFile(filepath.Join(dir, "kiosk.db-wal"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	done()
	if got := ownerOf(t, filepath.Join(dir, "kiosk.db-wal")); got != owner {
		t.Errorf("file made by the command owned by %d after done, want %d", got, owner)
	}

	// No service user on this machine: a missing folder stays root's.
	missing := filepath.Join(t.TempDir(), "new")
	if _, err := Prepare(missing, "no-such-user-here"); err != nil {
		t.Fatal(err)
	}
}

// TestRefusedForOtherUser runs the test binary as nobody against a folder
// a service user owns: refused, with the command to type.
func TestRefusedForOtherUser(t *testing.T) {
	if dir := os.Getenv("DATADIR_TEST_DIR"); dir != "" {
		_, err := Prepare(dir, "kioskd")
		if err == nil {
			os.Stdout.WriteString("accepted\n")
			os.Exit(0)
		}
		os.Stdout.WriteString(err.Error())
		os.Exit(0)
	}
	if os.Geteuid() != 0 {
		t.Skip("needs root to run as another user")
	}
	base, err := os.MkdirTemp("", "datadir")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(base)
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(base, "kioskd")
	b, err := os.ReadFile(exe)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, b, 0o755); err != nil {
		t.Fatal(err)
	}
	os.Chmod(base, 0o755)
	dir := filepath.Join(base, "data")
	os.Mkdir(dir, 0o700)
	os.Chown(dir, owner, owner)
	writable := filepath.Join(base, "mine")
	os.Mkdir(writable, 0o700)
	os.Chown(writable, 65534, 65534)
	for _, tc := range []struct{ dir, want string }{
		{dir, "sudo kioskd -test.run=TestRefusedForOtherUser enroll --data " + dir + " --central 'https://a b'"},
		{filepath.Join(dir, "sub"), "sudo kioskd"}, // cannot be created
		{writable, "accepted"},                       // nobody's own folder
		{filepath.Join(writable, "new"), "accepted"}, // created by the command
	} {
		cmd := exec.Command(bin, "-test.run=TestRefusedForOtherUser", "enroll", "--data", tc.dir, "--central", "https://a b")
		cmd.Env = []string{"DATADIR_TEST_DIR=" + tc.dir}
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%v: %s", err, out)
		}
		if !strings.Contains(string(out), tc.want) {
			t.Errorf("Prepare(%s) as nobody said:\n%s\nwant %q", tc.dir, out, tc.want)
		}
	}
}
