package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"
)

// kioskListLine is a line of `centrald kiosk list --json` (issue 18's
// contract: at least these fields).
type kioskListLine struct {
	ID          int64   `json:"id"`
	Name        string  `json:"name"`
	LastSeen    string  `json:"last_seen"`
	Version     string  `json:"version"`
	CameraOK    *bool   `json:"camera_ok"`
	CameraError *string `json:"camera_error"`
	LastFrame   *string `json:"last_frame"`
	Health      string  `json:"health"`
}

func (c *central) kioskList() []kioskListLine {
	c.t.Helper()
	var out []kioskListLine
	for _, line := range strings.Split(c.run("kiosk", "list", "--json"), "\n") {
		if line == "" {
			continue
		}
		var l kioskListLine
		if err := json.Unmarshal([]byte(line), &l); err != nil {
			c.t.Fatalf("kiosk list --json line %q: %v", line, err)
		}
		out = append(out, l)
	}
	return out
}

// waitKiosk polls `centrald kiosk list --json` until ok says the kiosk's
// line is as wanted.
func (c *central) waitKiosk(what string, ok func(kioskListLine) bool) kioskListLine {
	c.t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	var last []kioskListLine
	for time.Now().Before(deadline) {
		last = c.kioskList()
		if len(last) == 1 && ok(last[0]) {
			return last[0]
		}
		time.Sleep(200 * time.Millisecond)
	}
	c.t.Fatalf("kiosk list never showed %s: %+v", what, last)
	return kioskListLine{}
}

// TestHealthCameraEnded: a real kioskd reads a real video, then its
// source ends for good (the file is gone: each new pass fails to open it).
// Central hears it with the next sync: the kiosk list says the camera
// worked, then that it does not, with the camera's error and the time of
// its last frame.
func TestHealthCameraEnded(t *testing.T) {
	c := newCentral(t)
	a := setUp(c)
	c.start()
	k := newKiosk(t, c, "Entrée")
	clip := video(t, a.aliceB)

	cmd := k.cmd("run", "--data", k.data, "--camera", clip, "--led", "console")
	var errOut bytes.Buffer
	cmd.Stderr = &errOut
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	decided := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			select {
			case decided <- sc.Text():
			default:
			}
		}
	}()
	select {
	case line := <-decided:
		if !strings.Contains(line, `"reason":"pack"`) {
			t.Fatalf("first decision %s, want Alice accepted on her card", line)
		}
	case <-time.After(60 * time.Second):
		t.Fatalf("no decision in a minute\n%s", errOut.String())
	}

	up := c.waitKiosk("a working camera", func(l kioskListLine) bool { return l.CameraOK != nil && *l.CameraOK })
	if up.Name != "Entrée" || up.LastSeen == "" || up.Version == "" || up.LastFrame == nil || *up.LastFrame == "" ||
		up.CameraError == nil || *up.CameraError != "" || up.Health != "ok" {
		t.Fatalf("kiosk with a working camera: %+v", up)
	}

	if err := os.Remove(clip); err != nil {
		t.Fatal(err)
	}
	down := c.waitKiosk("a camera down", func(l kioskListLine) bool { return l.CameraOK != nil && !*l.CameraOK })
	if down.CameraError == nil || !strings.Contains(*down.CameraError, "clip.avi") || down.Health != "down" {
		t.Fatalf("kiosk whose camera source ended: %+v\n%s", down, errOut.String())
	}
	if down.LastFrame == nil || *down.LastFrame == "" {
		t.Fatalf("the last frame's time is lost: %+v", down)
	}
}
