// Package sdnotify speaks systemd's notification protocol (sd_notify(3))
// with the standard library only: readiness, watchdog keep-alives and
// stopping, for services run with Type=notify and WatchdogSec=.
//
// Outside systemd (NOTIFY_SOCKET unset) every call does nothing.
package sdnotify

import (
	"net"
	"os"
	"strconv"
	"time"
)

// Send sends a raw state string such as "READY=1". It returns nil when not
// run by systemd.
func Send(state string) error {
	addr := os.Getenv("NOTIFY_SOCKET")
	if addr == "" {
		return nil
	}
	if addr[0] == '@' { // abstract socket
		addr = "\x00" + addr[1:]
	}
	conn, err := net.DialUnix("unixgram", nil, &net.UnixAddr{Name: addr, Net: "unixgram"})
	if err != nil {
		return err
	}
	defer conn.Close()
	_, err = conn.Write([]byte(state))
	return err
}

// Ready tells systemd the service has started.
func Ready() error { return Send("READY=1") }

// Stopping tells systemd the service is shutting down.
func Stopping() error { return Send("STOPPING=1") }

// Watchdog tells systemd the service is alive.
func Watchdog() error { return Send("WATCHDOG=1") }

// Status sets the one-line status shown by systemctl status.
func Status(s string) error { return Send("STATUS=" + s) }

// WatchdogInterval returns how often to call Watchdog (half of
// WatchdogSec), or 0 when the watchdog is off.
func WatchdogInterval() time.Duration {
	usec, err := strconv.ParseInt(os.Getenv("WATCHDOG_USEC"), 10, 64)
	if err != nil || usec <= 0 {
		return 0
	}
	if pid := os.Getenv("WATCHDOG_PID"); pid != "" && pid != strconv.Itoa(os.Getpid()) {
		return 0
	}
	return time.Duration(usec) * time.Microsecond / 2
}
