package wire_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/shared/wire"
)

const uuid1 = "0190f3a4-5b6c-7d8e-9f01-23456789abcd"

func entry(seq int64) wire.Entry {
	return wire.Entry{ID: uuid1, Seq: seq, Time: time.Date(2026, 11, 26, 9, 12, 0, 0, time.UTC),
		Badge: strings.Repeat("ab", 32), Member: 42, Decision: wire.DecisionAccept, Reason: "pack", Consumed: 7}
}

func body(v any) *strings.Reader {
	b, _ := json.Marshal(v)
	return strings.NewReader(string(b))
}

func TestDecodePush(t *testing.T) {
	ok := wire.PushRequest{Protocol: wire.Version, Entries: []wire.Entry{entry(1), entry(2)}}
	if _, err := wire.DecodePush(body(ok)); err != nil {
		t.Fatalf("valid push refused: %v", err)
	}
	ticket := ok
	ticket.Entries = []wire.Entry{entry(1)}
	ticket.Entries[0].Member, ticket.Entries[0].Reason, ticket.Entries[0].Consumed = 0, wire.ReasonEvent, 0
	if _, err := wire.DecodePush(body(ticket)); err != nil {
		t.Fatalf("an event ticket's entry (accepted, no member) refused: %v", err)
	}
	mod := func(f func(*wire.PushRequest)) wire.PushRequest {
		r := ok
		r.Entries = append([]wire.Entry(nil), ok.Entries...)
		f(&r)
		return r
	}
	for _, tc := range []struct {
		name string
		req  any
		want error
	}{
		{"OldProtocol", mod(func(r *wire.PushRequest) { r.Protocol = 0 }), wire.ErrTooOld},
		{"OutOfOrder", mod(func(r *wire.PushRequest) { r.Entries[0].Seq = 3 }), nil},
		{"Duplicate", mod(func(r *wire.PushRequest) { r.Entries[1].Seq = 1 }), nil},
		{"BadUUID", mod(func(r *wire.PushRequest) { r.Entries[0].ID = "nope" }), nil},
		{"ZeroSeq", mod(func(r *wire.PushRequest) { r.Entries[0].Seq = 0 }), nil},
		{"BadDecision", mod(func(r *wire.PushRequest) { r.Entries[0].Decision = "maybe" }), nil},
		{"AcceptWithoutMember", mod(func(r *wire.PushRequest) { r.Entries[0].Member = 0 }), nil},
		{"EventWithoutMemberOrTicket", mod(func(r *wire.PushRequest) {
			r.Entries[0].Member, r.Entries[0].Reason, r.Entries[0].Badge = 0, wire.ReasonEvent, ""
		}), nil},
		{"BadBadge", mod(func(r *wire.PushRequest) { r.Entries[0].Badge = "xyz" }), nil},
		{"NoTime", mod(func(r *wire.PushRequest) { r.Entries[0].Time = time.Time{} }), nil},
		// A reason or a boot id is a word of the protocol, stored as
		// it is: a NUL made PostgreSQL refuse the whole push (500, sent
		// again forever), other controls reached the admin's pages.
		{"ReasonWithNUL", mod(func(r *wire.PushRequest) { r.Entries[0].Reason = "pack\x00" }), nil},
		{"ReasonWithEscape", mod(func(r *wire.PushRequest) { r.Entries[0].Reason = "\x1b[31mpack" }), nil},
		{"BootIDWithNUL", mod(func(r *wire.PushRequest) { r.Entries[0].BootID = "b\x00" }), nil},
		{"TooManyEntries", mod(func(r *wire.PushRequest) {
			r.Entries = nil
			for i := range wire.MaxBatch + 1 {
				r.Entries = append(r.Entries, entry(int64(i+1)))
			}
		}), wire.ErrTooLarge},
		{"NotJSON", "{", nil},
		{"TrailingData", `{"protocol":1,"entries":[]} {}`, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var r *strings.Reader
			if s, ok := tc.req.(string); ok {
				r = strings.NewReader(s)
			} else {
				r = body(tc.req)
			}
			_, err := wire.DecodePush(r)
			if err == nil {
				t.Fatal("accepted")
			}
			if tc.want != nil && !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestDecodeTooLarge(t *testing.T) {
	big := `{"protocol":1,"software":"` + strings.Repeat("x", wire.MaxBodyBytes) + `"}`
	if _, err := wire.DecodePush(strings.NewReader(big)); !errors.Is(err, wire.ErrTooLarge) {
		t.Fatalf("err = %v, want ErrTooLarge", err)
	}
}

func TestDecodePull(t *testing.T) {
	if _, err := wire.DecodePull(body(wire.PullRequest{Protocol: 1, Cursor: 5, Limit: 100})); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []wire.PullRequest{{Protocol: 1, Cursor: -1}, {Protocol: 1, Limit: wire.MaxPageSize + 1}, {Protocol: 0}} {
		if _, err := wire.DecodePull(body(bad)); err == nil {
			t.Errorf("accepted %+v", bad)
		}
	}
}

func TestDecodeEnroll(t *testing.T) {
	if _, err := wire.DecodeEnroll(body(wire.EnrollRequest{Protocol: 1, Token: "abc"})); err != nil {
		t.Fatal(err)
	}
	if _, err := wire.DecodeEnroll(body(wire.EnrollRequest{Protocol: 1})); err == nil {
		t.Fatal("accepted an empty token")
	}
}

// FuzzDecodePush: any body is either refused or yields entries that each
// pass Validate, in strictly increasing sequence order, at most MaxBatch.
func FuzzDecodePush(f *testing.F) {
	b, _ := json.Marshal(wire.PushRequest{Protocol: 1, Entries: []wire.Entry{entry(1), entry(2)}})
	f.Add(string(b))
	f.Add(`{"protocol":1,"entries":null}`)
	f.Add(`{"protocol":1,"entries":[{"seq":-1}]}`)
	f.Fuzz(func(t *testing.T, s string) {
		req, err := wire.DecodePush(strings.NewReader(s))
		if err != nil {
			return
		}
		if len(req.Entries) > wire.MaxBatch || req.Protocol < wire.MinVersion {
			t.Fatalf("accepted out-of-limits request")
		}
		var prev int64
		for _, e := range req.Entries {
			if e.Validate() != nil || e.Seq <= prev {
				t.Fatalf("accepted invalid entry %+v", e)
			}
			prev = e.Seq
		}
	})
}

func FuzzDecodePull(f *testing.F) {
	f.Add(`{"protocol":1,"cursor":3,"page":"x"}`)
	f.Fuzz(func(t *testing.T, s string) {
		req, err := wire.DecodePull(strings.NewReader(s))
		if err == nil && (req.Cursor < 0 || req.Limit < 0 || req.Limit > wire.MaxPageSize) {
			t.Fatalf("accepted %+v", req)
		}
	})
}

// FuzzDecodeEnroll: the one decoder of an anonymous request. Any body is
// either refused or yields a supported protocol and a token of 1 to 200
// bytes.
func FuzzDecodeEnroll(f *testing.F) {
	b, _ := json.Marshal(wire.EnrollRequest{Protocol: wire.Version, Token: "bge1_abc", Software: "kioskd 1.5.0"})
	f.Add(string(b))
	f.Add(`{"protocol":0,"token":"x"}`)
	f.Add(`{"protocol":1,"token":"` + strings.Repeat("x", 201) + `"}`)
	f.Add(`{"protocol":1,"token":1}`)
	f.Add(`[]`)
	f.Fuzz(func(t *testing.T, s string) {
		req, err := wire.DecodeEnroll(strings.NewReader(s))
		if err != nil {
			if strings.Contains(err.Error(), "Go struct") {
				t.Fatalf("refusal names Go's types: %v", err)
			}
			return
		}
		if req.Protocol < wire.MinVersion || req.Token == "" || len(req.Token) > 200 {
			t.Fatalf("accepted %+v", req)
		}
	})
}
