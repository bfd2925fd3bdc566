package main

import (
	"bufio"
	"bytes"
	"errors"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"

	"github.com/badgeuse/badgeuse/shared/bintest"
)

// buildCentrald builds the real centrald (once: shared/bintest).
func buildCentrald(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	return bintest.Build(t, ".")
}

// runBin runs bin and returns its stdout, stderr and exit code.
func runBin(t *testing.T, bin string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return out.String(), errOut.String(), exit.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), errOut.String(), 0
}

// startServe starts centrald serve and returns it once it answers.
func startServe(t *testing.T, bin, data string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--data", data, "--addr", "127.0.0.1:0")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	lines := bufio.NewScanner(stderr)
	url := ""
	for url == "" && lines.Scan() {
		if m := regexp.MustCompile(`url=(http://\S+)`).FindStringSubmatch(lines.Text()); m != nil {
			url = m[1]
		}
	}
	if url == "" {
		t.Fatal("serve did not say where it listens")
	}
	go func() {
		for lines.Scan() { // drain
		}
	}()
	return cmd, url
}

// TestDamagedDatabaseBackupRestore is the bad day with the real binary: a
// damaged database is refused at start with the restore command, the
// restore refuses while serve runs, and after it serve starts on the backup.
func TestDamagedDatabaseBackupRestore(t *testing.T) {
	bin := buildCentrald(t)
	data := filepath.Join(t.TempDir(), "data")
	for i := range 300 {
		if _, errOut, code := runBin(t, bin, "member", "add", "--data", data, "--name", "Membre "+strings.Repeat("x", 100)+string(rune('a'+i%26))); code != 0 {
			t.Fatalf("member add: %s", errOut)
		}
	}
	backup := filepath.Join(t.TempDir(), "central-backup.db")
	// The backup is made while serve runs and writes.
	serve, _ := startServe(t, bin, data)
	if out, errOut, code := runBin(t, bin, "backup", "--data", data, backup); code != 0 || strings.TrimSpace(out) != backup {
		t.Fatalf("backup: %q %q %d", out, errOut, code)
	}
	if _, errOut, code := runBin(t, bin, "restore", "--data", data, backup); code != 1 || !strings.Contains(errOut, "centrald is running") || !strings.Contains(errOut, "systemctl stop centrald") {
		t.Fatalf("restore while serve runs: exit %d, %q", code, errOut)
	}
	if _, errOut, code := runBin(t, bin, "member", "add", "--data", data, "--name", "After"); code != 0 {
		t.Fatalf("member add: %s", errOut)
	}
	serve.Process.Signal(syscall.SIGTERM)
	serve.Wait()

	// A failing SD card: pages in the middle of the file overwritten.
	path := filepath.Join(data, "central.db")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for i := 10 * 4096; i < len(b)-4096; i++ {
		b[i] = byte(i)
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	_, errOut, code := runBin(t, bin, "serve", "--data", data, "--addr", "127.0.0.1:0")
	if code != 1 || !strings.Contains(errOut, "is damaged") || !strings.Contains(errOut, "centrald restore --data "+data) {
		t.Fatalf("serve on a damaged database: exit %d\n%s", code, errOut)
	}

	out, errOut, code := runBin(t, bin, "restore", "--data", data, backup)
	if code != 0 || !strings.Contains(out, "kept in "+path+".replaced-") {
		t.Fatalf("restore: exit %d\n%s%s", code, out, errOut)
	}
	_, url := startServe(t, bin, data)
	res, err := http.Get(url + "/healthz")
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("healthz after restore: %v %v", res, err)
	}
	res.Body.Close()
	// The restored database is the backup: 300 members, not "After".
	if out, _, code := runBin(t, bin, "balance", "--data", data, "--member", "300"); code != 0 || out == "" {
		t.Errorf("member 300 after restore: exit %d", code)
	}
	if _, _, code := runBin(t, bin, "balance", "--data", data, "--member", "301"); code != 1 {
		t.Errorf("member 301 (added after the backup) is still there after restore: exit %d", code)
	}
}

// TestRootKeepsFolderOwner: centrald commands run as root (sudo) on the
// service's data folder leave every file to the folder's owner, so that
// the service can still open its database.
func TestRootKeepsFolderOwner(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root")
	}
	bin := buildCentrald(t)
	data := filepath.Join(t.TempDir(), "data")
	if err := os.Mkdir(data, 0o700); err != nil {
		t.Fatal(err)
	}
	const owner = 4242
	if err := os.Chown(data, owner, owner); err != nil {
		t.Fatal(err)
	}
	if _, errOut, code := runBin(t, bin, "member", "add", "--data", data, "--name", "Alice"); code != 0 {
		t.Fatal(errOut)
	}
	backup := filepath.Join(t.TempDir(), "b.db")
	runBin(t, bin, "backup", "--data", data, backup)
	if _, errOut, code := runBin(t, bin, "restore", "--data", data, backup); code != 0 {
		t.Fatal(errOut)
	}
	entries, err := os.ReadDir(data)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		info, _ := e.Info()
		if uid := info.Sys().(*syscall.Stat_t).Uid; uid != owner {
			t.Errorf("%s owned by %d, want the folder's owner %d", e.Name(), uid, owner)
		}
	}
	if len(entries) < 2 {
		t.Errorf("only %d files in the data folder", len(entries))
	}
}

// TestDoctor runs centrald doctor on a serving, backed-up centrald: every
// line OK (the clock too when this machine's is synchronised), then on a
// damaged database: its line says to restore, exit 1.
func TestDoctor(t *testing.T) {
	bin := buildCentrald(t)
	data := filepath.Join(t.TempDir(), "data")
	backups := t.TempDir()
	runBin(t, bin, "member", "add", "--data", data, "--name", "Alice")
	runBin(t, bin, "backup", "--data", data, filepath.Join(backups, "central-20261204-033000-1.db"))
	serve, url := startServe(t, bin, data)
	doctor := func() (string, int) {
		cmd := exec.Command(bin, "doctor", "--data", data)
		cmd.Env = []string{"CENTRALD_ADDR=" + strings.TrimPrefix(url, "http://"), "CENTRALD_PUBLIC_URL=" + url,
			"BADGEUSE_BACKUPS=" + backups, "CENTRALD_ENV_FILE=/nonexistent"}
		out, err := cmd.Output()
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return string(out), exit.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return string(out), 0
	}
	out, code := doctor()
	clockOK := !strings.Contains(out, "FAIL  clock")
	for _, check := range []string{"folder", "database", "disk", "serve", "https", "backup"} {
		if !regexp.MustCompile(`(?m)^OK +` + check + ` `).MatchString(out) {
			t.Errorf("doctor: no OK line for %s:\n%s", check, out)
		}
	}
	if want := map[bool]int{true: 0, false: 1}[clockOK]; code != want {
		t.Errorf("doctor exit %d with the clock synchronised %v, want %d:\n%s", code, clockOK, want, out)
	}

	serve.Process.Signal(syscall.SIGTERM)
	serve.Wait()
	path := filepath.Join(data, "central.db")
	b, _ := os.ReadFile(path)
	for i := 2 * 4096; i < len(b); i++ {
		b[i] = byte(i * 13)
	}
	os.WriteFile(path, b, 0o600)
	out, code = doctor()
	if code != 1 || !regexp.MustCompile(`(?m)^FAIL +database .*damaged`).MatchString(out) || !strings.Contains(out, "centrald restore --data "+data) ||
		!regexp.MustCompile(`(?m)^FAIL +serve `).MatchString(out) {
		t.Errorf("doctor on a damaged database, centrald stopped: exit %d\n%s", code, out)
	}
}
