package main

import (
	"bufio"
	"bytes"
	"errors"
	"net/http"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/shared/bintest"
)

// TestBinary builds the real centrald and runs a few commands the way
// scripts do: exact stdout, errors on stderr, exit codes, and serve
// stopping cleanly on SIGTERM.
func TestBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := bintest.Build(t, ".")
	data := t.TempDir()
	centrald := binaryRunner(t, bin, data)
	for _, tc := range []struct {
		args     []string
		stdout   string
		stderr   string
		exitCode int
	}{
		{[]string{"member", "add", "--data", data, "--name", "Alice", "--email", "alice@example.org"}, "1\n", "", 0},
		{[]string{"member", "add", "--name", "Bob"}, "2\n", "", 0}, // --data from CENTRALD_DATA
		{[]string{"product", "add", "--data", data, "--name", "Carte 10", "--kind", "pack", "--entries", "10", "--days", "0", "--price", "120.50"}, "1\n", "", 0},
		{[]string{"sell", "--data", data, "--member", "1", "--product", "1"}, "1\n", "", 0},
		{[]string{"balance", "--data", data, "--member", "1", "--json"}, `{"member":1,"entries_left":10,"subscription_until":"","overdraft":0,"membership_until":""}` + "\n", "", 0},
		{[]string{"balance", "--data", data, "--member", "9", "--json"}, "", "centrald: Member 9 not found.\n", 1},
		{[]string{"settings", "set", "--data", data, "nope", "1"}, "", "centrald: Unknown setting \"nope\" (see centrald settings list).\n", 1},
		{[]string{"entries", "--data", data, "--json"}, "", "", 0},
	} {
		out, errOut, code := centrald(tc.args...)
		if out != tc.stdout || errOut != tc.stderr || code != tc.exitCode {
			t.Errorf("centrald %s:\nstdout %q\nstderr %q\nexit %d\nwant %q, %q, %d", strings.Join(tc.args, " "), out, errOut, code, tc.stdout, tc.stderr, tc.exitCode)
		}
	}
	if out, _, code := centrald("version"); code != 0 || !strings.HasPrefix(out, "centrald ") {
		t.Errorf("version: %q %d", out, code)
	}
	if _, errOut, code := centrald(); code != 2 || !strings.Contains(errOut, "usage:") {
		t.Errorf("no command: exit %d, %q", code, errOut)
	}

	// serve until SIGTERM.
	cmd := exec.Command(bin, "serve", "--data", data, "--addr", "127.0.0.1:0")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
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
	res, err := http.Get(url + "/healthz")
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("healthz: %v %v", res, err)
	}
	res.Body.Close()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("serve after SIGTERM: %v, want exit 0", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop on SIGTERM")
	}
}

// binaryRunner returns a func that runs the built centrald bin on the data
// folder data as a script would, and gives its stdout, stderr and exit
// code.
func binaryRunner(t *testing.T, bin, data string) func(args ...string) (string, string, int) {
	return func(args ...string) (string, string, int) {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Env = []string{"CENTRALD_DATA=" + data}
		var out, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errOut
		err := cmd.Run()
		code := 0
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			code = exit.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return out.String(), errOut.String(), code
	}
}
