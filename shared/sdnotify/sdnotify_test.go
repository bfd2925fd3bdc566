package sdnotify_test

import (
	"net"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/shared/sdnotify"
)

func TestSend(t *testing.T) {
	path := filepath.Join(t.TempDir(), "notify.sock")
	conn, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: path, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	t.Setenv("NOTIFY_SOCKET", path)
	for _, send := range []func() error{sdnotify.Ready, sdnotify.Watchdog, sdnotify.Stopping} {
		if err := send(); err != nil {
			t.Fatal(err)
		}
	}
	buf := make([]byte, 64)
	for _, want := range []string{"READY=1", "WATCHDOG=1", "STOPPING=1"} {
		conn.SetReadDeadline(time.Now().Add(time.Second))
		n, err := conn.Read(buf)
		if err != nil || string(buf[:n]) != want {
			t.Fatalf("got %q, %v; want %q", buf[:n], err, want)
		}
	}
}

func TestOutsideSystemd(t *testing.T) {
	t.Setenv("NOTIFY_SOCKET", "")
	if err := sdnotify.Ready(); err != nil {
		t.Fatal(err)
	}
	os.Unsetenv("WATCHDOG_USEC")
	if sdnotify.WatchdogInterval() != 0 {
		t.Fatal("watchdog on without WATCHDOG_USEC")
	}
	t.Setenv("WATCHDOG_USEC", "20000000")
	t.Setenv("WATCHDOG_PID", strconv.Itoa(os.Getpid()))
	if got := sdnotify.WatchdogInterval(); got != 10*time.Second {
		t.Fatalf("WatchdogInterval = %v", got)
	}
}
