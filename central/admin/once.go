package admin

import (
	"net/http"
	"sync"
	"time"
)

// Forms that must act once: a sale (money), a new member, a new event,
// a badge (or a sheet of them), a guest pass the bureau makes, a product,
// a resource, a kiosk. The form carries a one-time token (once=), which
// the POST takes before it acts (actOnce). The same form posted again (a
// double tap on its button, the browser's back and send again) does
// nothing and goes where the first went, saying so. The tokens live in
// memory (onceTTL, maxOnce): a form posted without one (a script,
// centrald's tests) acts as before.
const (
	onceTTL = 12 * time.Hour // a session's longest life (AbsoluteTimeout's default)
	maxOnce = 10000          // bounds the memory: the oldest go first
	onceLen = 64             // a token longer than that is none of ours
)

type onceTokens struct {
	mu sync.Mutex
	m  map[string]onceToken
}

type onceToken struct {
	made time.Time
	used bool
	to   string // where the form went, once it acted
}

// newOnce returns a fresh one-time token for a form.
func (s *Server) newOnce() (string, error) {
	tok, err := randomToken(18)
	if err != nil {
		return "", err
	}
	s.once.put(tok, onceToken{made: s.now()}, s.now())
	return tok, nil
}

// NewOnce is newOnce for a form's template ({{template "once" .}}): a
// fresh token each form, "" when none could be made (the form then acts
// as one without a token).
func (p *page) NewOnce() string {
	tok, err := p.s.newOnce()
	if err != nil {
		return ""
	}
	return tok
}

// takeOnce takes a form's token before it acts: ok false if it was taken
// already (the form was sent twice), with where the first went ("" while
// it runs). A token it does not know (expired, or given before a
// restart) is taken too: the form acts, once.
func (s *Server) takeOnce(tok string) (ok bool, to string) {
	return s.once.put(tok, onceToken{made: s.now(), used: true}, s.now())
}

// actOnce runs act, which writes the answer and returns where it went
// ("" when it failed), once per form token (once=, "" for none): the form
// sent twice goes where the first went (else to fallback) saying flash;
// a form whose act failed acts when sent again.
func (s *Server) actOnce(w http.ResponseWriter, r *http.Request, fallback, flash string, act func() string) {
	tok := formOnce(r)
	if tok != "" {
		if ok, to := s.takeOnce(tok); !ok {
			if to == "" {
				to = fallback
			}
			redirect(w, r, to, flash)
			return
		}
	}
	if to := act(); to != "" {
		s.doneOnce(tok, to)
	} else {
		s.releaseOnce(tok)
	}
}

// doneOnce says where a form went after it acted, for its double.
func (s *Server) doneOnce(tok, to string) {
	o := &s.once
	o.mu.Lock()
	defer o.mu.Unlock()
	if t, ok := o.m[tok]; ok {
		t.to = to
		o.m[tok] = t
	}
}

// formOnce reads a form's token ("" for none, or not one of ours).
func formOnce(r *http.Request) string {
	if tok := r.PostFormValue("once"); len(tok) <= onceLen {
		return tok
	}
	return ""
}

// releaseOnce gives a token back when the form's action failed: sent
// again, it acts.
func (s *Server) releaseOnce(tok string) {
	o := &s.once
	o.mu.Lock()
	defer o.mu.Unlock()
	delete(o.m, tok)
}

// put stores t unless it would take a token already used (two POSTs at
// once): false then, with where the first went.
func (o *onceTokens) put(tok string, t onceToken, now time.Time) (bool, string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.m == nil {
		o.m = map[string]onceToken{}
	}
	if old, ok := o.m[tok]; ok && old.used && t.used {
		return false, old.to
	}
	if len(o.m) >= maxOnce {
		var oldest string
		for k, v := range o.m {
			if now.Sub(v.made) > onceTTL {
				delete(o.m, k)
			} else if oldest == "" || v.made.Before(o.m[oldest].made) {
				oldest = k
			}
		}
		if len(o.m) >= maxOnce {
			delete(o.m, oldest)
		}
	}
	o.m[tok] = t
	return true, ""
}
