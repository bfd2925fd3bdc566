// Package screen serves the door screen: a page for a small screen by the
// door, shown by a browser in kiosk mode on the kiosk itself (see
// deploy/pi-setup.md). It shows the camera's live preview, to help aim a
// badge; then, for each decision, a full-screen message in the LED's
// colour, for as long as the LEDs show it; the space's name and hours and
// how many are here today.
//
// The page is served on a loopback address only (Listen refuses others)
// and answers only requests whose Host is a loopback name, so that a web
// page elsewhere cannot read it through DNS rebinding. It runs no inline
// script (Content-Security-Policy: script-src 'self'): screen.js receives
// the events by server-sent events (GET /events) and the preview is a
// Motion JPEG stream (GET /preview.mjpg) encoded from the frames the door
// reads anyway, at most PreviewFPS a second and only while a page watches.
// A message greets an accepted member by her first name ("Bonjour Alice
// !"), which the kiosk holds for its own space's members only, and none
// with central's door.show_names off; a guest is greeted without a name (a
// pass holds none). Nothing personal stays on screen after a message: the
// page empties the message when it ends, and the idle screen shows only a
// count of the people here.
package screen

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"image"
	"image/jpeg"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/badgeuse/badgeuse/kiosk"
)

// Limits.
const (
	PreviewFPS = 5 // preview frames a second, at most
	MaxClients = 8 // event streams and previews at a time, each
)

// Message is what the screen shows for a decision: French first, then
// English (the other way round for a member who speaks English), in the
// LED's colour, for For.
type Message struct {
	Accept bool
	Title  [2]string
	Text   [2]string
	For    time.Duration
	// Lang is "en" to say it in English first (the member's language);
	// "" for French first.
	Lang string
}

// Info is what the screen shows between messages.
type Info struct {
	Space string // the space's name
	Hours string // its opening hours, in words ("" for always open)
	Here  int    // members here today
}

// Server serves the door screen. Set the fields, then serve Handler.
type Server struct {
	// Info returns what the idle screen shows; it is called at each page
	// load and after each decision.
	Info   func(ctx context.Context) (Info, error)
	Logger *slog.Logger

	mu      sync.Mutex
	subs    map[chan event]struct{}
	frame   []byte        // the last preview JPEG
	fresh   chan struct{} // closed when a new preview frame is ready
	last    time.Time     // when the last preview frame was encoded
	viewers atomic.Int32  // preview streams open
}

type event struct {
	name string
	data []byte
}

//go:embed static
var static embed.FS

var page = template.Must(template.ParseFS(static, "static/index.html"))

// Listen opens addr, which must be a loopback address (127.0.0.1:8081,
// [::1]:8081, localhost:8081): the screen is for the kiosk's own browser.
func Listen(addr string) (net.Listener, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("door screen address %q: %w", addr, err)
	}
	if !loopbackName(host) {
		return nil, fmt.Errorf("door screen address %q: only a loopback address (127.0.0.1:8081) is allowed: the screen is for this kiosk's own browser", addr)
	}
	return net.Listen("tcp", addr)
}

func loopbackName(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func (s *Server) logger() *slog.Logger {
	if s.Logger != nil {
		return s.Logger
	}
	return slog.Default()
}

// Handler returns the screen's routes.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.index)
	mux.HandleFunc("GET /events", s.events)
	mux.HandleFunc("GET /preview.mjpg", s.preview)
	mux.Handle("GET /static/", http.FileServerFS(static))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Every answer, refusals included, carries the headers.
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		host, _, err := net.SplitHostPort(r.Host)
		if err != nil {
			host = r.Host
		}
		if !loopbackName(host) {
			http.Error(w, "door screen: local browser only", http.StatusForbidden)
			return
		}
		mux.ServeHTTP(w, r)
	})
}

func (s *Server) info(ctx context.Context) Info {
	if s.Info == nil {
		return Info{}
	}
	in, err := s.Info(ctx)
	if err != nil {
		s.logger().Warn("door screen: info", "err", err)
	}
	return in
}

func (s *Server) index(w http.ResponseWriter, r *http.Request) {
	var b bytes.Buffer
	if err := page.Execute(&b, s.info(r.Context())); err != nil {
		s.logger().Error("door screen: page", "err", err)
		http.Error(w, "door screen: page", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(b.Bytes())
}

// Show sends a decision's message to every page, then what the idle
// screen shows now (one more here).
func (s *Server) Show(ctx context.Context, m Message) {
	lang := "fr"
	if m.Lang == "en" {
		lang = "en"
	}
	data, _ := json.Marshal(map[string]any{"accept": m.Accept, "title": m.Title[0], "text": m.Text[0],
		"title_en": m.Title[1], "text_en": m.Text[1], "ms": m.For.Milliseconds(), "lang": lang})
	s.broadcast(event{"decision", data})
	s.broadcast(infoEvent(s.info(ctx)))
}

func infoEvent(in Info) event {
	data, _ := json.Marshal(map[string]any{"space": in.Space, "hours": in.Hours, "here": in.Here})
	return event{"info", data}
}

// broadcast queues ev for every page; a page too slow to take it misses it
// rather than holding the door up.
func (s *Server) broadcast(ev event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for ch := range s.subs {
		select {
		case ch <- ev:
		default:
		}
	}
}

func (s *Server) subscribe() (chan event, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.subs) >= MaxClients {
		return nil, errors.New("too many pages")
	}
	if s.subs == nil {
		s.subs = map[chan event]struct{}{}
	}
	ch := make(chan event, 16)
	s.subs[ch] = struct{}{}
	return ch, nil
}

func (s *Server) unsubscribe(ch chan event) {
	s.mu.Lock()
	delete(s.subs, ch)
	s.mu.Unlock()
}

// events streams the decisions and the idle screen's info (server-sent
// events: "decision" and "info", JSON data).
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	ch, err := s.subscribe()
	if err != nil {
		http.Error(w, "door screen: "+err.Error(), http.StatusServiceUnavailable)
		return
	}
	defer s.unsubscribe(ch)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	write := func(ev event) bool {
		_, err := fmt.Fprintf(w, "event: %s\ndata: %s\n\n", ev.name, ev.data)
		flusher.Flush()
		return err == nil
	}
	fmt.Fprint(w, "retry: 2000\n\n")
	if !write(infoEvent(s.info(r.Context()))) {
		return
	}
	ping := time.NewTicker(15 * time.Second)
	defer ping.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case ev := <-ch:
			if !write(ev) {
				return
			}
		case <-ping.C:
			if _, err := fmt.Fprint(w, ": ping\n\n"); err != nil {
				return
			}
			flusher.Flush()
		}
	}
}

// Frame offers a frame the door read for the preview. It encodes one at
// most PreviewFPS times a second, and only while a page watches; it does
// not keep f.
func (s *Server) Frame(f *kiosk.Frame) {
	if s.viewers.Load() == 0 || f.Width <= 0 || f.Height <= 0 || len(f.Pix) < (f.Height-1)*f.Stride+f.Width {
		return
	}
	s.mu.Lock()
	due := time.Since(s.last) >= time.Second/PreviewFPS
	if due {
		s.last = time.Now()
	}
	s.mu.Unlock()
	if !due {
		return
	}
	img := &image.Gray{Pix: f.Pix, Stride: f.Stride, Rect: image.Rect(0, 0, f.Width, f.Height)}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 60}); err != nil {
		s.logger().Warn("door screen: preview", "err", err)
		return
	}
	s.mu.Lock()
	s.frame = b.Bytes()
	if s.fresh != nil {
		close(s.fresh)
	}
	s.fresh = make(chan struct{})
	s.mu.Unlock()
}

// next returns the preview frame after the one the caller has (nil: the
// first), and a channel closed when a newer one is ready.
func (s *Server) next() ([]byte, chan struct{}) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fresh == nil {
		s.fresh = make(chan struct{})
	}
	return s.frame, s.fresh
}

// preview streams the camera's frames as Motion JPEG.
func (s *Server) preview(w http.ResponseWriter, r *http.Request) {
	if n := s.viewers.Add(1); n > MaxClients {
		s.viewers.Add(-1)
		http.Error(w, "door screen: too many previews", http.StatusServiceUnavailable)
		return
	}
	defer s.viewers.Add(-1)
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	const boundary = "badgeuseframe"
	w.Header().Set("Content-Type", "multipart/x-mixed-replace; boundary="+boundary)
	w.Header().Set("Cache-Control", "no-store")
	for {
		frame, fresh := s.next()
		if frame != nil {
			if _, err := fmt.Fprintf(w, "--%s\r\nContent-Type: image/jpeg\r\nContent-Length: %s\r\n\r\n", boundary, strconv.Itoa(len(frame))); err != nil {
				return
			}
			if _, err := w.Write(frame); err != nil {
				return
			}
			if _, err := fmt.Fprint(w, "\r\n"); err != nil {
				return
			}
			flusher.Flush()
		}
		select {
		case <-r.Context().Done():
			return
		case <-fresh:
		}
	}
}
