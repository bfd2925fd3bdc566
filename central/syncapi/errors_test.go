package syncapi_test

import (
	"bufio"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/shared/wire"
)

// TestRefusalsSayNoInternals: a malformed body is refused with a message
// that says what is wrong in the request's terms, never central's
// insides. A field of the wrong type was answered with Go's struct and
// type names ("Go struct field Entry.entries.seq of type int64"), and a
// body cut short by the network with the connection's addresses (central's
// own, behind a reverse proxy: "read tcp 10.0.0.5:8080->…: i/o
// timeout").
func TestRefusalsSayNoInternals(t *testing.T) {
	s := newServer(t)
	resp, _ := s.enroll("door")
	internals := []string{"Go struct", "int64", "wire.", "Entry.", "EnrollRequest", "127.0.0.1", "tcp"}
	check := func(what string, status int, werr wire.Error, wants ...string) {
		t.Helper()
		if status != http.StatusBadRequest || werr.Code != wire.CodeBadRequest {
			t.Errorf("%s: %d %+v, want 400 %s", what, status, werr, wire.CodeBadRequest)
		}
		for _, no := range internals {
			if strings.Contains(werr.Message, no) {
				t.Errorf("%s: the message %q says %q", what, werr.Message, no)
			}
		}
		for _, want := range wants {
			if !strings.Contains(werr.Message, want) {
				t.Errorf("%s: the message %q does not say %q", what, werr.Message, want)
			}
		}
	}
	status, werr := s.post(wire.PathPush, resp.KioskToken, []byte(`{"protocol":1,"entries":[{"seq":"x"}]}`), nil)
	check("a sequence in a string", status, werr, "entries.seq", "string where an integer is expected")
	status, werr = s.post(wire.PathEnroll, "", []byte(`{"protocol":1,"token":"x","software":1}`), nil)
	check("a version that is a number", status, werr, "software", "number where a string is expected")

	// A body cut short: the kiosk's connection stalls mid-body until the
	// server stops waiting for it.
	slow := httptest.NewUnstartedServer(s.srv.Config.Handler)
	slow.Config.ReadTimeout = 300 * time.Millisecond
	slow.Start()
	defer slow.Close()
	conn, err := net.Dial("tcp", slow.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	io.WriteString(conn, "POST "+wire.PathPush+" HTTP/1.1\r\nHost: central\r\nAuthorization: Bearer "+resp.KioskToken+
		"\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"protocol\":1,")
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	answer, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer answer.Body.Close()
	werr = wire.Error{}
	if err := json.NewDecoder(answer.Body).Decode(&werr); err != nil {
		t.Fatal(err)
	}
	check("a body cut short", answer.StatusCode, werr)
}
