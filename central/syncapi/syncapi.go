// Package syncapi serves the kiosk sync protocol (shared/wire) over HTTP:
// POST /api/v1/enroll, /api/v1/push and /api/v1/pull, on top of
// central.KioskService and central.SyncService. It converts between wire
// and domain types; the rules live in central and its store.
//
// Requests are authenticated with the kiosk's bearer token (looked up by
// hash). Bodies may be gzip-compressed (Content-Encoding: gzip). Each
// endpoint reads the body it needs and no more, compressed and
// decompressed: an enrollment (anonymous) at most enrollMaxBytes, a push
// or a pull (after the kiosk's token is checked) wire.MaxBodyBytes. JSON
// is decoded while it is read, never copied whole first. Bodies, shared
// with the web admin, bounds the memory held by bodies in flight: beyond
// it a request is answered 503 with Retry-After (wire.CodeInternal,
// retried by kiosks) before its body is read, so a flood of requests (gzip
// bombs included) costs central a bounded amount of memory. So is a
// request whose context ends before central served it (waiting for the
// writers' turn): it changed nothing. Answers are gzip-compressed when the
// kiosk accepts it. Every failure is a wire.Error with a code from
// shared/wire. Tokens and badge hashes are never logged.
//
// Push semantics: entries are stored idempotently on (kiosk, seq) and id;
// the ack is the highest contiguous sequence held. Entries after a gap are
// stored but not acknowledged (wire.CodeSequenceGap is never sent): the
// kiosk, seeing an ack below what it sent, sends the missing ones again.
// A new entry at a sequence held with another id (a kiosk restored from a
// backup) is answered in Conflicts, with NextSeq, for the kiosk to
// renumber and send again (protocol version 2).
package syncapi

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/access"
	"github.com/badgeuse/badgeuse/shared/badge"
	"github.com/badgeuse/badgeuse/shared/wire"
)

// Handler serves the sync API. Set the fields, then Register it.
type Handler struct {
	Kiosks central.KioskService
	Sync   central.SyncService
	// Spaces names a kiosk's space in the enrollment answer, as it is
	// now (central.PlaceName).
	Spaces central.SpaceService
	// Health records the health reports kiosks send with their pulls;
	// nil: reports are ignored.
	Health central.KioskHealthService
	// Bodies bounds the bytes held by request bodies in flight; nil: no
	// bound but each endpoint's size.
	Bodies Bodies
	Logger *slog.Logger
	// Now returns the current time; tests replace it.
	Now func() time.Time
}

// Register mounts the protocol's routes on mux.
func (h *Handler) Register(mux *http.ServeMux) {
	mux.HandleFunc("POST "+wire.PathEnroll, h.enroll)
	mux.HandleFunc("POST "+wire.PathPush, h.push)
	mux.HandleFunc("POST "+wire.PathPull, h.pull)
}

func (h *Handler) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return time.Now()
}

func (h *Handler) logger() *slog.Logger {
	if h.Logger != nil {
		return h.Logger
	}
	return slog.Default()
}

// Bodies bounds the memory held by request bodies in flight, across
// handlers (centrald shares one between the sync API and the web admin).
type Bodies interface {
	// Reserve takes n bytes of the bound, or reports false when they
	// would go over it; Release gives them back.
	Reserve(n int64) bool
	Release(n int64)
}

// enrollMaxBytes bounds an enrollment's body, compressed and
// decompressed: a token and a version take about 300 bytes.
const enrollMaxBytes = 1 << 10

// gzipStateBytes is what a gzip reader holds (its 32 KiB window and its
// tables), rounded up.
const gzipStateBytes = 64 << 10

// heldBytes is what reading a body of at most limit bytes may hold: the
// JSON decoder's buffer (which grows by doubling) and the decoded value,
// and the gzip reader's state.
func heldBytes(limit int64, r *http.Request) int64 {
	n := 2 * limit
	if enc := strings.ToLower(strings.TrimSpace(r.Header.Get("Content-Encoding"))); enc != "" && enc != "identity" {
		n += gzipStateBytes
	}
	return n
}

// reserve takes what reading the request's body may hold from h.Bodies;
// release gives it back (call it once the request is answered).
func (h *Handler) reserve(r *http.Request, limit int64) (release func(), aerr *apiError) {
	if h.Bodies == nil {
		return func() {}, nil
	}
	n := heldBytes(limit, r)
	if !h.Bodies.Reserve(n) {
		return nil, busy()
	}
	return func() { h.Bodies.Release(n) }, nil
}

// apiError is a failure to answer with.
type apiError struct {
	status int
	wire.Error
	cause error // logged for internal errors, never sent
}

func fail(status int, code, msg string) *apiError {
	return &apiError{status: status, Error: wire.Error{Code: code, Message: msg}}
}

// busy is the answer when central cannot serve the request now: 503 with
// Retry-After (reply), which a kiosk retries like any failed sync.
func busy() *apiError {
	return fail(http.StatusServiceUnavailable, wire.CodeInternal, "Central is busy; retry later.")
}

// busyRetryAfter is the Retry-After of a 503, in seconds: about a kiosk's
// sync interval.
const busyRetryAfter = "5"

// internal is the answer to a failure of central's: 500, logged. A
// request whose context ended first (its client gone, or its wait for the
// writers' turn cut short: see central/sqlstore) changed nothing and is
// answered busy instead.
func internal(err error) *apiError {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return busy()
	}
	e := fail(http.StatusInternalServerError, wire.CodeInternal, "Internal error; retry later.")
	e.cause = err
	return e
}

// fromCentral maps a service error to a wire error: the one table.
func fromCentral(err error) *apiError {
	msg := central.ErrorMessage(err)
	switch central.ErrorCode(err) {
	case central.EUNAUTHORIZED:
		return fail(http.StatusUnauthorized, wire.CodeUnauthorized, msg)
	case central.EFORBIDDEN:
		return fail(http.StatusForbidden, wire.CodeKioskDisabled, msg)
	case central.ECONFLICT:
		return fail(http.StatusConflict, wire.CodeTokenUsed, msg)
	case central.EINVALID, central.ENOTFOUND:
		return fail(http.StatusBadRequest, wire.CodeBadRequest, msg)
	}
	return internal(err)
}

// fromDecode maps a body decoding error to a wire error. A body that
// could not be read is answered in central's words, its cause logged
// only: the network's error names the connection's addresses.
func fromDecode(err error) *apiError {
	var tooBig *http.MaxBytesError
	switch {
	case errors.Is(err, wire.ErrTooLarge), errors.As(err, &tooBig):
		return fail(http.StatusRequestEntityTooLarge, wire.CodeTooLarge, err.Error())
	case errors.Is(err, wire.ErrTooOld):
		return fail(http.StatusBadRequest, wire.CodeProtocolTooOld, err.Error())
	case errors.Is(err, wire.ErrUnreadable):
		e := fail(http.StatusBadRequest, wire.CodeBadRequest, "The body could not be read: cut short, or not valid gzip.")
		e.cause = err
		return e
	}
	return fail(http.StatusBadRequest, wire.CodeBadRequest, err.Error())
}

// body returns the request body, decompressed when it is gzip, limited
// to limit bytes before and after decompression (over it, reads fail with
// http.MaxBytesError or wire.ErrTooLarge: 413).
func body(w http.ResponseWriter, r *http.Request, limit int64) (io.Reader, *apiError) {
	raw := http.MaxBytesReader(w, r.Body, limit)
	switch enc := strings.ToLower(strings.TrimSpace(r.Header.Get("Content-Encoding"))); enc {
	case "", "identity":
		return raw, nil
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(raw)
		if err != nil {
			return nil, fromDecode(fmt.Errorf("%w: %w", wire.ErrUnreadable, err))
		}
		zr.Multistream(false)
		return wire.LimitReader(zr, limit), nil
	default:
		return nil, fail(http.StatusUnsupportedMediaType, wire.CodeBadRequest, "Unsupported Content-Encoding "+enc+" (use gzip).")
	}
}

// authenticate returns the kiosk holding the request's bearer token.
func (h *Handler) authenticate(r *http.Request) (*central.Kiosk, *apiError) {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
		return nil, fail(http.StatusUnauthorized, wire.CodeUnauthorized, "Kiosk token required (Authorization: Bearer).")
	}
	k, err := h.Kiosks.Authenticate(r.Context(), strings.TrimSpace(token))
	if err != nil {
		return nil, fromCentral(err)
	}
	return k, nil
}

// seen records a call of the kiosk; a failure is only logged.
func (h *Handler) seen(ctx context.Context, k *central.Kiosk, software string, pending int) {
	switch err := h.Kiosks.KioskSeen(ctx, k.ID, central.KioskSeen{At: h.now(), Software: software, Pending: pending}); {
	case err == nil:
	case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
		// The kiosk left while its call waited for the writers' turn:
		// its next call records it.
		h.logger().Info("kiosk seen: not recorded, the request ended first", "kiosk", k.ID)
	default:
		h.logger().Error("kiosk seen", "kiosk", k.ID, "err", err)
	}
}

func (h *Handler) enroll(w http.ResponseWriter, r *http.Request) {
	release, aerr := h.reserve(r, enrollMaxBytes)
	if aerr != nil {
		h.reply(w, r, nil, aerr)
		return
	}
	defer release()
	b, aerr := body(w, r, enrollMaxBytes)
	if aerr != nil {
		h.reply(w, r, nil, aerr)
		return
	}
	req, err := wire.DecodeEnroll(b)
	if err != nil {
		h.reply(w, r, nil, fromDecode(err))
		return
	}
	k, token, err := h.Kiosks.Enroll(central.NewContextWithActor(r.Context(), "kiosk"), req.Token, req.Software)
	if err != nil {
		h.reply(w, r, nil, fromCentral(err))
		return
	}
	spaces, err := h.Spaces.FindSpaces(r.Context())
	if err != nil {
		h.reply(w, r, nil, internal(err))
		return
	}
	name := central.PlaceName(spaces, k.Space) // its current name
	space := k.Space                           // its key, as before space_name
	if space == "" {
		space = name // the main space's key is ""
	}
	h.logger().Info("kiosk enrolled", "kiosk", k.ID, "name", k.Name, "software", req.Software)
	h.reply(w, r, wire.EnrollResponse{KioskID: k.ID, KioskName: k.Name, KioskToken: token, Space: space, SpaceName: name}, nil)
}

func (h *Handler) push(w http.ResponseWriter, r *http.Request) {
	k, aerr := h.authenticate(r)
	if aerr != nil {
		h.reply(w, r, nil, aerr)
		return
	}
	release, aerr := h.reserve(r, wire.MaxBodyBytes)
	if aerr != nil {
		h.reply(w, r, nil, aerr)
		return
	}
	defer release()
	b, aerr := body(w, r, wire.MaxBodyBytes)
	if aerr != nil {
		h.seen(r.Context(), k, "", -1)
		h.reply(w, r, nil, aerr)
		return
	}
	req, err := wire.DecodePush(b)
	if err != nil {
		h.seen(r.Context(), k, "", -1)
		h.reply(w, r, nil, fromDecode(err))
		return
	}
	p := &central.Push{Kiosk: k.ID, Received: h.now(), SentAt: req.SentAt, BootID: req.BootID,
		Mono: time.Duration(req.Mono), Software: req.Software, Pending: req.Pending,
		Entries: make([]*central.Entry, len(req.Entries))}
	for i, e := range req.Entries {
		ce, err := entryFromWire(e)
		if err != nil {
			h.reply(w, r, nil, fail(http.StatusBadRequest, wire.CodeBadRequest, err.Error()))
			return
		}
		p.Entries[i] = ce
	}
	ctx := central.NewContextWithActor(r.Context(), "kiosk:"+strconv.FormatInt(k.ID, 10))
	res, err := h.Sync.Push(ctx, p)
	if err != nil {
		h.reply(w, r, nil, fromCentral(err))
		return
	}
	if res.Conflicts > 0 {
		h.logger().Warn("push: entries reuse sequences held with other ids (kiosk database restored?); the kiosk renumbers them",
			"kiosk", k.ID, "conflicts", res.Conflicts, "to_resend", len(res.Resend), "next_seq", res.NextSeq)
	}
	h.logger().Debug("push", "kiosk", k.ID, "entries", len(req.Entries), "inserted", res.Inserted, "ack", res.Ack)
	h.reply(w, r, wire.PushResponse{Ack: res.Ack, ServerTime: h.now().UTC(), Conflicts: res.Resend, NextSeq: res.NextSeq}, nil)
}

// entryFromWire converts an entry the wire decoder already validated. Its
// id is normalised here, once (central.EntryID): the ledger and the store
// compare ids as they are.
func entryFromWire(e wire.Entry) (*central.Entry, error) {
	id, err := central.EntryID(e.ID)
	if err != nil {
		return nil, err
	}
	ce := &central.Entry{ID: id, Seq: e.Seq, Member: e.Member, KioskTime: e.Time,
		ClockUnsure: e.ClockUnsure, BootID: e.BootID, Mono: time.Duration(e.Mono),
		Accept: e.Decision == wire.DecisionAccept, Reason: access.Reason(e.Reason), KioskConsumed: e.Consumed}
	if e.Badge != "" {
		if ce.Badge, err = badge.ParseHash(e.Badge); err != nil {
			return nil, err
		}
	}
	return ce, nil
}

func (h *Handler) pull(w http.ResponseWriter, r *http.Request) {
	k, aerr := h.authenticate(r)
	if aerr != nil {
		h.reply(w, r, nil, aerr)
		return
	}
	software := "" // from the health report: the admin shows the version of a kiosk with nothing to push
	defer func() { h.seen(r.Context(), k, software, -1) }()
	release, aerr := h.reserve(r, wire.MaxBodyBytes)
	if aerr != nil {
		h.reply(w, r, nil, aerr)
		return
	}
	defer release()
	b, aerr := body(w, r, wire.MaxBodyBytes)
	if aerr != nil {
		h.reply(w, r, nil, aerr)
		return
	}
	req, err := wire.DecodePull(b)
	if err != nil {
		h.reply(w, r, nil, fromDecode(err))
		return
	}
	if req.Health != nil && req.Page == "" {
		software = req.Health.Software
		h.report(r.Context(), k, req.Health)
	}
	page, err := h.Sync.Pull(r.Context(), central.PullRequest{Kiosk: k.ID, Cursor: req.Cursor, Page: req.Page, Limit: req.Limit})
	if err != nil {
		h.reply(w, r, nil, fromCentral(err))
		return
	}
	h.reply(w, r, pullToWire(page, h.now()), nil)
}

// report records a kiosk's health report; a failure is only logged: the
// pull goes on.
func (h *Handler) report(ctx context.Context, k *central.Kiosk, wh *wire.Health) {
	if h.Health == nil {
		return
	}
	now := h.now()
	kh := healthFromWire(k.ID, wh, now)
	if err := h.Health.ReportKioskHealth(ctx, kh); err != nil {
		h.logger().Error("kiosk health report", "kiosk", k.ID, "err", err)
	}
}

// healthFromWire converts a report the wire decoder validated, received
// at now (central's clock).
func healthFromWire(kiosk int64, wh *wire.Health, now time.Time) *central.KioskHealth {
	kh := &central.KioskHealth{Kiosk: kiosk, Received: now, Started: wh.Started,
		Uptime: time.Duration(wh.Uptime) * time.Second, CameraOK: wh.CameraOK, CameraError: wh.CameraError,
		CameraFPS: wh.CameraFPS, LastFrame: wh.LastFrame, LastDecision: wh.LastDecision,
		DiskFree: wh.DiskFree, DiskTotal: wh.DiskTotal, DatabaseBytes: wh.DatabaseBytes, Software: wh.Software}
	if !wh.Time.IsZero() {
		kh.ClockOffset = wh.Time.Sub(now)
	}
	return kh
}

func pullToWire(p *central.PullPage, now time.Time) wire.PullResponse {
	out := wire.PullResponse{Snapshot: p.Snapshot, More: p.More, Page: p.Page, Cursor: p.Cursor,
		Members: make([]wire.Member, len(p.Members)), Deleted: p.Deleted, Acked: p.Acked, ServerTime: now.UTC(),
		Settings: wire.Settings{Space: p.Settings.Space, SpaceID: p.Settings.SpaceID, SpaceKey: p.Settings.SpaceKey, Timezone: p.Settings.Timezone, Hours: p.Settings.Hours,
			StaleAfter: p.Settings.StaleAfter, StalePolicy: p.Settings.StalePolicy, CodeKey: p.Settings.CodeKey,
			CodeTolerance: p.Settings.CodeTolerance, Passback: p.Settings.Passback,
			RequireMembership: p.Settings.RequireMembership, GuestConsumes: p.Settings.GuestConsumes,
			ShowNames: p.Settings.ShowNames}}
	for i, m := range p.Members {
		wm := wire.Member{ID: m.ID, Status: string(m.Status), Name: m.Name, Lang: m.Lang, LastVisit: m.LastVisit.String(),
			Badges: make([]wire.Badge, len(m.Badges)), Entitlements: make([]wire.Entitlement, len(m.Entitlements))}
		for j, b := range m.Badges {
			wm.Badges[j] = wire.Badge{Hash: b.Hash.String(), Revoked: b.Revoked}
			if !b.LastAccepted.IsZero() {
				t := b.LastAccepted.UTC()
				wm.Badges[j].LastAccepted = &t
			}
		}
		for j, e := range m.Entitlements {
			wm.Entitlements[j] = wire.Entitlement{ID: e.ID, Kind: string(e.Kind), Start: e.Start.String(), End: e.End.String(),
				Entries: e.Entries, Spaces: e.Spaces.IDs()}
		}
		out.Members[i] = wm
	}
	for _, b := range p.Elsewhere {
		out.Elsewhere = append(out.Elsewhere, wire.Badge{Hash: b.Hash.String(), Revoked: b.Revoked})
	}
	for _, e := range p.Events {
		out.Events = append(out.Events, wire.Event{ID: e.ID, Start: e.Start.UTC(), End: e.End.UTC(), Consumes: e.Consumes,
			Members: e.Members, Revoked: e.Revoked})
	}
	return out
}

// reply writes v as JSON, or the error, gzip-compressed when accepted.
func (h *Handler) reply(w http.ResponseWriter, r *http.Request, v any, aerr *apiError) {
	status := http.StatusOK
	if aerr != nil {
		status, v = aerr.status, aerr.Error
		switch {
		case aerr.cause != nil && status >= 500:
			h.logger().Error("sync api", "path", r.URL.Path, "err", aerr.cause)
		case aerr.cause != nil: // the kiosk's request, refused: its cause is no failure of central's
			h.logger().Info("sync api refused", "path", r.URL.Path, "code", aerr.Code, "status", status, "err", aerr.cause)
		default:
			h.logger().Info("sync api refused", "path", r.URL.Path, "code", aerr.Code, "status", status)
		}
		switch status {
		case http.StatusUnauthorized:
			w.Header().Set("WWW-Authenticate", `Bearer realm="badgeuse"`)
		case http.StatusServiceUnavailable:
			w.Header().Set("Retry-After", busyRetryAfter)
		}
	}
	data, err := json.Marshal(v)
	if err != nil {
		h.logger().Error("sync api: encode answer", "err", err)
		status, data = http.StatusInternalServerError, []byte(`{"code":"internal","message":"Internal error; retry later."}`)
	}
	hd := w.Header()
	hd.Set("Content-Type", "application/json")
	hd.Set("Cache-Control", "no-store")
	hd.Add("Vary", "Accept-Encoding")
	if acceptsGzip(r.Header.Get("Accept-Encoding")) && len(data) > 512 {
		hd.Set("Content-Encoding", "gzip")
		w.WriteHeader(status)
		zw := gzip.NewWriter(w)
		zw.Write(data)
		zw.Close()
		return
	}
	w.WriteHeader(status)
	w.Write(data)
}

// acceptsGzip reports whether an Accept-Encoding header allows gzip.
func acceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(name), "gzip") {
			continue
		}
		q := strings.ReplaceAll(strings.TrimSpace(params), " ", "")
		return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
	}
	return false
}
