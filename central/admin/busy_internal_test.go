package admin

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/badgeuse/badgeuse/central"
)

type noSettings struct{}

func (noSettings) Settings(context.Context) (central.Settings, error) { return central.Settings{}, nil }
func (noSettings) SetSetting(context.Context, string, string) error   { return nil }

// A change whose context ended while it waited for the writers' turn
// (central/sqlstore) changed nothing: the page says the server is busy,
// 503 with Retry-After, not an internal error.
func TestFailErrBusy(t *testing.T) {
	tmpl, err := parseTemplates()
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{cfg: Config{Settings: noSettings{}}, tmpl: tmpl, log: slog.New(slog.DiscardHandler)}
	for _, tc := range []struct {
		err    error
		status int
		text   string
	}{
		{fmt.Errorf("begin: waiting for the writers' turn: %w", context.DeadlineExceeded), http.StatusServiceUnavailable, "occupé"},
		{fmt.Errorf("begin: waiting for the writers' turn: %w", context.Canceled), http.StatusServiceUnavailable, "occupé"},
		{errors.New("disk I/O error"), http.StatusInternalServerError, "interne"},
	} {
		rec := httptest.NewRecorder()
		s.failErr(rec, httptest.NewRequest(http.MethodPost, "/members", nil), tc.err)
		busy := tc.status == http.StatusServiceUnavailable
		if rec.Code != tc.status || (rec.Header().Get("Retry-After") != "") != busy || !strings.Contains(rec.Body.String(), tc.text) {
			t.Errorf("%v: %d Retry-After %q, want %d with %q", tc.err, rec.Code, rec.Header().Get("Retry-After"), tc.status, tc.text)
		}
	}
}
