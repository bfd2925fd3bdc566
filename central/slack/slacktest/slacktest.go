// Package slacktest is a fake Slack for tests: an httptest server that
// follows the contracts central/slack relies on (shared/reference/apis.md
// §1 and §4.1), records what it receives, and fails on demand.
//
// Web API methods are form-encoded POSTs to <APIURL()>method with the token
// in the "token" field (or an Authorization: Bearer header); answers are
// HTTP 200 JSON {"ok":true,...} or {"ok":false,"error":"..."}. Faults add
// HTTP 5xx and 429 with an integer Retry-After. Served: chat.postMessage
// (with message metadata), conversations.history (include_all_metadata,
// oldest, limit, cursor), conversations.open, users.lookupByEmail,
// auth.test. The incoming webhook at WebhookURL() takes JSON and answers
// HTTP 200 text/plain "ok", or a status with a plain-text error as Slack and
// Mattermost do.
//
// Unlike slack-go's own slacktest it checks the token, knows channels
// (channel_not_found, not_in_channel, is_archived), keeps every posted
// message for assertions and for conversations.history, and never leaks a
// goroutine per post.
package slacktest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Defaults of a new server.
const (
	Token       = "xoxb-test-token"
	WebhookPath = "/services/T0001/B0001/webhooksecret"
)

// Message is a message the fake received and keeps.
type Message struct {
	Channel string // the channel ID; "webhook" for webhook posts
	Text    string
	Key     string // metadata event_payload "key", if any
	Type    string // metadata event_type
	TS      string
	Via     string // "api" or "webhook"
	At      time.Time
}

// Fault is a failure the fake answers with instead of (or after) doing
// what was asked.
type Fault struct {
	// Method is the method it applies to ("chat.postMessage", "webhook",
	// "conversations.history"...); "" applies to any.
	Method string
	// Status is the HTTP status to answer (500, 503, 429...). 429 carries
	// Retry-After: RetryAfter (integer seconds).
	Status     int
	RetryAfter int
	// Error answers HTTP 200 {"ok":false,"error":Error} (webhooks: the
	// status, default 400, with Error as the plain-text body).
	Error string
	// Delay holds the answer this long (longer than the client's timeout:
	// a timeout); the request's context ends it early.
	Delay time.Duration
	// AfterPost records the post first, then answers with the fault: the
	// message is in the channel but the client does not know it.
	AfterPost bool
}

type channel struct {
	member, archived bool
	messages         []Message
}

// Server is the fake. Its fields may be changed before the first request.
type Server struct {
	*httptest.Server

	// MinInterval, when set, refuses posts to a channel that come sooner
	// than this after the previous one with 429 Retry-After: 1, as Slack
	// may; Throttled counts them.
	MinInterval time.Duration
	mu          sync.Mutex
	onPost      func(Message) // see SetOnPost
	token       string
	channels    map[string]*channel
	users       map[string]string // e-mail → user ID
	ims         map[string]string // user ID → IM channel ID
	faults      []Fault
	calls       map[string]int
	lastPost    map[string]time.Time
	lastTS      int64
	throttled   int
}

// New starts a fake Slack that accepts Token and knows no channel.
func New() *Server {
	s := &Server{token: Token, channels: map[string]*channel{}, users: map[string]string{}, ims: map[string]string{},
		calls: map[string]int{}, lastPost: map[string]time.Time{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// SetOnPost sets a function called after each post is recorded and before
// the answer is written (tests crash the client there); nil removes it. It
// takes the server's lock: a test may change it while posts arrive.
func (s *Server) SetOnPost(f func(Message)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.onPost = f
}

// APIURL is the Web API base URL, with the trailing slash slack-go needs.
func (s *Server) APIURL() string { return s.URL + "/" }

// WebhookURL is the incoming webhook's URL.
func (s *Server) WebhookURL() string { return s.URL + WebhookPath }

// SetToken changes the valid bot token ("" makes every token invalid).
func (s *Server) SetToken(t string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.token = t
}

// AddChannel makes a channel the bot is a member of (or not).
func (s *Server) AddChannel(id string, member bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.channels[id] = &channel{member: member}
}

// ArchiveChannel archives a channel.
func (s *Server) ArchiveChannel(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.channels[id]; c != nil {
		c.archived = true
	}
}

// AddUser makes a Slack user findable by e-mail.
func (s *Server) AddUser(email, userID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[strings.ToLower(email)] = userID
}

// Fail queues n faults; each matching request consumes one, in order.
func (s *Server) Fail(f Fault, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.faults = append(s.faults, f)
	}
}

// ClearFaults drops the faults not consumed yet.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

// Messages returns the messages of a channel ("" for all), oldest first.
func (s *Server) Messages(channel string) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Message
	for id, c := range s.channels {
		if channel == "" || id == channel {
			out = append(out, c.messages...)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].TS < out[j].TS })
	return out
}

// Forget drops the messages kept so far (channels and users stay).
func (s *Server) Forget() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.channels {
		c.messages = nil
	}
}

// IMChannel returns the IM channel opened with a user ("" if none).
func (s *Server) IMChannel(userID string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ims[userID]
}

// Calls returns how many requests a method received ("webhook" for the
// webhook).
func (s *Server) Calls(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[method]
}

// Throttled returns how many posts MinInterval refused.
func (s *Server) Throttled() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.throttled
}

// fault takes the next fault for a method, if any.
func (s *Server) fault(method string) *Fault {
	for i, f := range s.faults {
		if f.Method == "" || f.Method == method {
			s.faults = append(s.faults[:i], s.faults[i+1:]...)
			return &f
		}
	}
	return nil
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if r.URL.Path == WebhookPath {
		s.webhook(w, r)
		return
	}
	method := strings.TrimPrefix(r.URL.Path, "/")
	if strings.HasPrefix(r.URL.Path, "/services/") || strings.HasPrefix(r.URL.Path, "/hooks/") {
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusNotFound)
		io.WriteString(w, "no_service")
		return
	}
	if err := r.ParseForm(); err != nil {
		writeJSON(w, map[string]any{"ok": false, "error": "invalid_form_data"})
		return
	}
	s.mu.Lock()
	s.calls[method]++
	f := s.fault(method)
	s.mu.Unlock()
	if f != nil && !f.AfterPost {
		s.answerFault(w, r, f, false)
		return
	}
	var res map[string]any
	switch method {
	case "chat.postMessage":
		res = s.postMessage(r, f)
	case "conversations.history":
		res = s.history(r)
	case "conversations.open":
		res = s.open(r)
	case "users.lookupByEmail":
		res = s.lookup(r)
	case "auth.test":
		res = s.authTest(r)
	default:
		res = map[string]any{"ok": false, "error": "unknown_method"}
	}
	if res == nil { // throttled
		w.Header().Set("Retry-After", "1")
		w.WriteHeader(http.StatusTooManyRequests)
		return
	}
	if f != nil {
		s.answerFault(w, r, f, false)
		return
	}
	writeJSON(w, res)
}

func (s *Server) answerFault(w http.ResponseWriter, r *http.Request, f *Fault, webhook bool) {
	if f.Delay > 0 {
		select {
		case <-time.After(f.Delay):
		case <-r.Context().Done():
			return
		}
	}
	switch {
	case f.Status == http.StatusTooManyRequests:
		w.Header().Set("Retry-After", strconv.Itoa(f.RetryAfter))
		w.WriteHeader(http.StatusTooManyRequests)
	case webhook && f.Error != "":
		status := f.Status
		if status == 0 {
			status = http.StatusBadRequest
		}
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(status)
		io.WriteString(w, f.Error)
	case f.Status != 0:
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(f.Status)
		io.WriteString(w, "<html><body>Slack is having trouble</body></html>")
	case f.Error != "":
		writeJSON(w, map[string]any{"ok": false, "error": f.Error})
	default:
		writeJSON(w, map[string]any{"ok": true})
	}
}

// auth checks the token: form field first, then the Authorization header.
func (s *Server) auth(r *http.Request) string {
	tok := r.PostForm.Get("token")
	if tok == "" {
		tok = strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case tok == "":
		return "not_authed"
	case tok != s.token:
		return "invalid_auth"
	}
	return ""
}

func fail(code string) map[string]any { return map[string]any{"ok": false, "error": code} }

// channelFor checks that the bot may use a channel; s.mu must be held.
func (s *Server) channelFor(id string, write bool) (*channel, string) {
	c := s.channels[id]
	switch {
	case c == nil:
		return nil, "channel_not_found"
	case c.archived && write:
		return nil, "is_archived"
	case !c.member:
		return nil, "not_in_channel"
	}
	return c, ""
}

// nextTS returns a unique, increasing message timestamp ("1764146000.000123").
func (s *Server) nextTS(now time.Time) string {
	us := now.UnixMicro()
	if us <= s.lastTS {
		us = s.lastTS + 1
	}
	s.lastTS = us
	return fmt.Sprintf("%d.%06d", us/1e6, us%1e6)
}

func (s *Server) postMessage(r *http.Request, f *Fault) map[string]any {
	if code := s.auth(r); code != "" {
		return fail(code)
	}
	text, blocks := r.PostForm.Get("text"), r.PostForm.Get("blocks")
	if text == "" && blocks == "" && r.PostForm.Get("attachments") == "" {
		return fail("no_text")
	}
	if blocks != "" {
		var v []any
		if json.Unmarshal([]byte(blocks), &v) != nil {
			return fail("invalid_blocks")
		}
	}
	m := Message{Text: text, Via: "api"}
	if meta := r.PostForm.Get("metadata"); meta != "" {
		var md struct {
			EventType    string         `json:"event_type"`
			EventPayload map[string]any `json:"event_payload"`
		}
		if json.Unmarshal([]byte(meta), &md) != nil || md.EventType == "" {
			return fail("invalid_metadata_format")
		}
		m.Type = md.EventType
		m.Key, _ = md.EventPayload["key"].(string)
	}
	s.mu.Lock()
	c, code := s.channelFor(r.PostForm.Get("channel"), true)
	if code != "" {
		s.mu.Unlock()
		return fail(code)
	}
	now := time.Now()
	m.Channel = r.PostForm.Get("channel")
	if last, ok := s.lastPost[m.Channel]; ok && s.MinInterval > 0 && now.Sub(last) < s.MinInterval && (f == nil || !f.AfterPost) {
		s.throttled++
		s.mu.Unlock()
		return nil
	}
	s.lastPost[m.Channel] = now
	m.TS, m.At = s.nextTS(now), now
	c.messages = append(c.messages, m)
	onPost := s.onPost
	s.mu.Unlock()
	if onPost != nil {
		onPost(m)
	}
	return map[string]any{"ok": true, "channel": m.Channel, "ts": m.TS,
		"message": map[string]any{"type": "message", "subtype": "bot_message", "text": m.Text, "ts": m.TS, "bot_id": "B0001"}}
}

// tsMicros parses a message timestamp ("" is 0).
func tsMicros(ts string) int64 {
	sec, frac, _ := strings.Cut(ts, ".")
	s, _ := strconv.ParseInt(sec, 10, 64)
	frac = (frac + "000000")[:6]
	us, _ := strconv.ParseInt(frac, 10, 64)
	return s*1e6 + us
}

func (s *Server) history(r *http.Request) map[string]any {
	if code := s.auth(r); code != "" {
		return fail(code)
	}
	limit := 100
	if l, err := strconv.Atoi(r.PostForm.Get("limit")); err == nil && l > 0 {
		limit = min(l, 999)
	}
	oldest, latest := tsMicros(r.PostForm.Get("oldest")), int64(1<<62)
	if l := r.PostForm.Get("latest"); l != "" {
		latest = tsMicros(l)
	}
	offset, _ := strconv.Atoi(r.PostForm.Get("cursor"))
	withMeta := r.PostForm.Get("include_all_metadata") == "1" || r.PostForm.Get("include_all_metadata") == "true"
	s.mu.Lock()
	c, code := s.channelFor(r.PostForm.Get("channel"), false)
	if code != "" {
		s.mu.Unlock()
		return fail(code)
	}
	var msgs []map[string]any
	for i := len(c.messages) - 1; i >= 0; i-- { // newest first
		m := c.messages[i]
		if t := tsMicros(m.TS); t <= oldest || t >= latest {
			continue
		}
		mm := map[string]any{"type": "message", "text": m.Text, "ts": m.TS, "bot_id": "B0001"}
		if withMeta && m.Type != "" {
			mm["metadata"] = map[string]any{"event_type": m.Type, "event_payload": map[string]any{"key": m.Key}}
		}
		msgs = append(msgs, mm)
	}
	s.mu.Unlock()
	if offset > len(msgs) {
		offset = len(msgs)
	}
	msgs = msgs[offset:]
	more := len(msgs) > limit
	next := ""
	if more {
		msgs, next = msgs[:limit], strconv.Itoa(offset+limit)
	}
	if msgs == nil {
		msgs = []map[string]any{}
	}
	return map[string]any{"ok": true, "messages": msgs, "has_more": more, "response_metadata": map[string]any{"next_cursor": next}}
}

func (s *Server) lookup(r *http.Request) map[string]any {
	if code := s.auth(r); code != "" {
		return fail(code)
	}
	email := strings.ToLower(r.PostForm.Get("email"))
	s.mu.Lock()
	id, ok := s.users[email]
	s.mu.Unlock()
	if !ok {
		return fail("users_not_found")
	}
	return map[string]any{"ok": true, "user": map[string]any{"id": id, "name": strings.Split(email, "@")[0],
		"profile": map[string]any{"email": email}}}
}

func (s *Server) open(r *http.Request) map[string]any {
	if code := s.auth(r); code != "" {
		return fail(code)
	}
	user := r.PostForm.Get("users")
	s.mu.Lock()
	defer s.mu.Unlock()
	known := false
	for _, id := range s.users {
		known = known || id == user
	}
	if !known || strings.Contains(user, ",") {
		return fail("user_not_found")
	}
	im := s.ims[user]
	if im == "" {
		im = "D" + strings.TrimPrefix(user, "U")
		s.ims[user] = im
		s.channels[im] = &channel{member: true}
	}
	return map[string]any{"ok": true, "channel": map[string]any{"id": im}}
}

func (s *Server) authTest(r *http.Request) map[string]any {
	if code := s.auth(r); code != "" {
		return fail(code)
	}
	return map[string]any{"ok": true, "url": "https://badgeuse-test.slack.com/", "team": "Badgeuse test",
		"user": "badgeuse", "team_id": "T0001", "user_id": "U0BOT", "bot_id": "B0001"}
}

func (s *Server) webhook(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.calls["webhook"]++
	f := s.fault("webhook")
	s.mu.Unlock()
	if f != nil && !f.AfterPost {
		s.answerFault(w, r, f, true)
		return
	}
	var body struct {
		Text        string          `json:"text"`
		Blocks      json.RawMessage `json:"blocks"`
		Attachments json.RawMessage `json:"attachments"`
	}
	plain := func(status int, text string) {
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(status)
		io.WriteString(w, text)
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		plain(http.StatusBadRequest, "invalid_payload")
		return
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		plain(http.StatusBadRequest, "invalid_payload")
		return
	}
	if body.Text == "" && len(body.Blocks) == 0 && len(body.Attachments) == 0 {
		plain(http.StatusBadRequest, "no_text")
		return
	}
	s.mu.Lock()
	now := time.Now()
	if last, ok := s.lastPost["webhook"]; ok && s.MinInterval > 0 && now.Sub(last) < s.MinInterval && f == nil {
		s.throttled++
		s.mu.Unlock()
		w.Header().Set("Retry-After", "1")
		w.WriteHeader(http.StatusTooManyRequests)
		return
	}
	s.lastPost["webhook"] = now
	c := s.channels["webhook"]
	if c == nil {
		c = &channel{member: true}
		s.channels["webhook"] = c
	}
	m := Message{Channel: "webhook", Text: body.Text, Via: "webhook", TS: s.nextTS(now), At: now}
	c.messages = append(c.messages, m)
	onPost := s.onPost
	s.mu.Unlock()
	if onPost != nil {
		onPost(m)
	}
	if f != nil {
		s.answerFault(w, r, f, true)
		return
	}
	plain(http.StatusOK, "ok")
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	json.NewEncoder(w).Encode(v)
}
