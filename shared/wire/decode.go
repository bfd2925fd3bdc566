package wire

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
)

// ErrTooLarge is returned by the decoders for a body over MaxBodyBytes.
var ErrTooLarge = errors.New("body too large")

// ErrTooOld is returned by the decoders for a protocol older than MinVersion.
var ErrTooOld = errors.New("protocol too old")

// ErrUnreadable is returned, with the cause, by the decoders for a body
// that could not be read: cut short by the network, or a corrupt gzip
// stream. The cause's text may name the connection's addresses: a server
// answers in its own words.
var ErrUnreadable = errors.New("read body")

// decode reads one JSON object of at most MaxBodyBytes from r into v,
// refusing unknown trailing data. It decodes while it reads: the body is
// held once (in the JSON decoder's buffer), never copied whole first.
func decode(r io.Reader, v any) error {
	lr := &limitReader{r: r, left: MaxBodyBytes}
	if l, ok := r.(*limitReader); ok && l.left <= MaxBodyBytes {
		lr = l // already limited (LimitReader), and more tightly
	}
	dec := json.NewDecoder(lr)
	err := dec.Decode(v)
	more := err == nil && dec.More()
	switch {
	case lr.err != nil && errors.Is(lr.err, ErrTooLarge):
		return ErrTooLarge
	case lr.err != nil:
		return fmt.Errorf("%w: %w", ErrUnreadable, lr.err)
	case err != nil:
		return errors.New("invalid JSON: " + jsonProblem(err))
	case more:
		return errors.New("invalid JSON: data after the object")
	}
	return nil
}

// jsonProblem says what is wrong with a JSON body in JSON's terms: the
// decoder's own text for a value of the wrong type names Go's structs
// and types ("Go struct field Entry.entries.seq of type int64").
func jsonProblem(err error) string {
	var typ *json.UnmarshalTypeError
	if !errors.As(err, &typ) {
		return err.Error() // a syntax error: "invalid character 'x' looking for beginning of value"
	}
	field := typ.Field
	if field == "" {
		field = "the body"
	}
	return fmt.Sprintf("%s: %s where %s is expected", field, typ.Value, jsonKind(typ.Type))
}

// jsonKind names the JSON value a Go type decodes from.
func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Pointer:
		return jsonKind(t.Elem())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice, reflect.Array:
		return "an array"
	}
	return "an object"
}

// LimitReader returns a reader of at most n bytes of r that fails with
// ErrTooLarge when r has more: a server gives each endpoint's body the
// size it needs (the decoders then read at most min(n, MaxBodyBytes)).
func LimitReader(r io.Reader, n int64) io.Reader { return &limitReader{r: r, left: n} }

// limitReader reads at most left bytes of r, then fails with ErrTooLarge;
// it keeps the first error other than io.EOF.
type limitReader struct {
	r    io.Reader
	left int64
	err  error
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	if l.left <= 0 {
		// One byte more says whether the body ends here.
		var one [1]byte
		if n, err := l.r.Read(one[:]); n > 0 {
			l.err = ErrTooLarge
			return 0, l.err
		} else if err != nil {
			if err != io.EOF {
				l.err = err
			}
			return 0, err
		}
		return 0, nil
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	if err != nil && err != io.EOF {
		l.err = err
	}
	return n, err
}

func checkProtocol(p int) error {
	switch {
	case p < MinVersion:
		return fmt.Errorf("%w: version %d, central needs at least %d: upgrade kioskd", ErrTooOld, p, MinVersion)
	case p > Version:
		// A newer kiosk talks to an older central: what this central
		// understands of the request is still version 1; accept it.
		return nil
	}
	return nil
}

// DecodeEnroll reads and checks an EnrollRequest.
func DecodeEnroll(r io.Reader) (EnrollRequest, error) {
	var req EnrollRequest
	if err := decode(r, &req); err != nil {
		return req, err
	}
	if err := checkProtocol(req.Protocol); err != nil {
		return req, err
	}
	if req.Token == "" || len(req.Token) > 200 {
		return req, errors.New("enroll: token missing or too long")
	}
	return req, nil
}

// DecodePull reads and checks a PullRequest.
func DecodePull(r io.Reader) (PullRequest, error) {
	var req PullRequest
	if err := decode(r, &req); err != nil {
		return req, err
	}
	if err := checkProtocol(req.Protocol); err != nil {
		return req, err
	}
	if req.Cursor < 0 {
		return req, errors.New("pull: negative cursor")
	}
	if req.Limit < 0 || req.Limit > MaxPageSize {
		return req, fmt.Errorf("pull: limit %d outside 0..%d", req.Limit, MaxPageSize)
	}
	if len(req.Page) > 200 {
		return req, errors.New("pull: page token too long")
	}
	if req.Health != nil {
		if err := req.Health.Validate(); err != nil {
			return req, fmt.Errorf("pull: %w", err)
		}
	}
	return req, nil
}

// DecodePush reads and checks a PushRequest: entries in strictly increasing
// sequence order, each with a UUID, a known decision and sane fields.
func DecodePush(r io.Reader) (PushRequest, error) {
	var req PushRequest
	if err := decode(r, &req); err != nil {
		return req, err
	}
	if err := checkProtocol(req.Protocol); err != nil {
		return req, err
	}
	if len(req.Entries) > MaxBatch {
		return req, fmt.Errorf("%w: %d entries in one push, at most %d", ErrTooLarge, len(req.Entries), MaxBatch)
	}
	var prev int64
	for i, e := range req.Entries {
		if err := e.Validate(); err != nil {
			return req, fmt.Errorf("push: entry %d: %w", i, err)
		}
		if e.Seq <= prev {
			return req, fmt.Errorf("push: entry %d: sequence %d not after %d", i, e.Seq, prev)
		}
		prev = e.Seq
	}
	return req, nil
}

// Validate checks the fields of an entry that central relies on.
func (e Entry) Validate() error {
	if !IsUUID(e.ID) {
		return fmt.Errorf("id %q is not a UUID", e.ID)
	}
	if e.Seq <= 0 {
		return fmt.Errorf("sequence %d must be positive", e.Seq)
	}
	if e.Time.IsZero() {
		return errors.New("time missing")
	}
	// A Pi has no real-time clock: until NTP answers it may say 1970. Such
	// an entry is still a decision the kiosk made; central corrects or
	// flags its time (central.CorrectTimes) instead of refusing the batch,
	// which would block every entry behind it. Only what JSON cannot carry
	// is refused.
	if e.Time.Year() < 1970 || e.Time.Year() > 9999 {
		return fmt.Errorf("time %s out of range", e.Time.Format("2006-01-02"))
	}
	switch e.Decision {
	case DecisionAccept, DecisionRefuse:
	default:
		return fmt.Errorf("decision %q is not %q or %q", e.Decision, DecisionAccept, DecisionRefuse)
	}
	if e.Reason == "" || len(e.Reason) > 64 || !isWord(e.Reason) {
		return errors.New("reason missing, too long or not a word")
	}
	if e.Badge != "" && !isHex(e.Badge, 64) {
		return errors.New("badge is not a hex SHA-256")
	}
	if e.Member < 0 || e.Consumed < 0 {
		return errors.New("negative member or pack id")
	}
	// Only an event ticket (reason "event", its hash) lets in someone who
	// is not a member.
	if e.Decision == DecisionAccept && e.Member == 0 && (e.Reason != ReasonEvent || e.Badge == "") {
		return errors.New("accepted entry without a member")
	}
	if len(e.BootID) > 64 || !isWord(e.BootID) {
		return errors.New("boot id too long or not a word")
	}
	return nil
}

// IsUUID reports whether s is a UUID in its canonical 36-character form.
func IsUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch i {
		case 8, 13, 18, 23:
			if s[i] != '-' {
				return false
			}
		default:
			if !strings.ContainsRune("0123456789abcdefABCDEF", rune(s[i])) {
				return false
			}
		}
	}
	return true
}

// isWord reports whether s is printable ASCII without spaces, as the
// protocol's words are (a reason, a boot id): central stores them as they
// are, and PostgreSQL refuses a NUL.
func isWord(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}

func isHex(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}
