package main

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/badgeuse/badgeuse/kiosk"
	"github.com/badgeuse/badgeuse/kiosk/led"
	"github.com/badgeuse/badgeuse/kiosk/screen"
	"github.com/badgeuse/badgeuse/kiosk/sqlite"
	"github.com/badgeuse/badgeuse/shared/access"
)

// serveScreen serves the door screen (--screen) on a loopback address
// until ctx ends.
func serveScreen(ctx context.Context, wg *sync.WaitGroup, addr string, db *sqlite.DB, log *slog.Logger) (*screen.Server, error) {
	ln, err := screen.Listen(addr)
	if err != nil {
		return nil, err
	}
	s := &screen.Server{Logger: log, Info: func(ctx context.Context) (screen.Info, error) { return screenInfo(ctx, db) }}
	srv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 5 * time.Second}
	wg.Go(func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("door screen", "err", err)
		}
	})
	wg.Go(func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		srv.Shutdown(sctx)
		srv.Close() // the event streams never end by themselves
	})
	log.Info("door screen", "url", "http://"+ln.Addr().String()+"/")
	return s, nil
}

// screenInfo is what the idle door screen shows: the space's name and
// hours, as central last sent them, and how many are here today.
func screenInfo(ctx context.Context, db *sqlite.DB) (screen.Info, error) {
	st, err := db.State(ctx)
	if err != nil {
		return screen.Info{}, err
	}
	loc := st.Settings.Location
	here, err := db.HereToday(ctx, access.DayOf(time.Now(), loc), loc)
	return screen.Info{Space: st.Settings.Space, Hours: frenchHours(st.Settings.Hours.String()), Here: here}, err
}

// frenchDays names the days of access.Hours's text form in French.
var frenchDays = strings.NewReplacer("mon", "lun", "tue", "mar", "wed", "mer", "thu", "jeu", "fri", "ven", "sat", "sam", "sun", "dim",
	"-", " – ", ";", " ·")

// frenchHours says opening hours for the door screen, consecutive days
// with the same hours together: "lun – ven 08:00 – 20:00 · sam 09:00 –
// 13:00" (access.Hours writes each day: seven of them fill a small screen).
func frenchHours(h string) string {
	type days struct{ first, last, hours string }
	var groups []days
	prev := ""
	for _, part := range strings.Split(h, "; ") {
		day, hours, ok := strings.Cut(part, " ")
		if !ok {
			return frenchDays.Replace(h) // not access.Hours's form: as it is
		}
		if n := len(groups); n > 0 && groups[n-1].hours == hours && nextDay[prev] == day {
			groups[n-1].last = day
		} else {
			groups = append(groups, days{day, day, hours})
		}
		prev = day
	}
	parts := make([]string, len(groups))
	for i, g := range groups {
		parts[i] = g.first + " " + g.hours
		if g.last != g.first {
			parts[i] = g.first + "-" + g.last + " " + g.hours
		}
	}
	return frenchDays.Replace(strings.Join(parts, "; "))
}

// nextDay is the day after each of access.Hours's days, Monday first.
var nextDay = map[string]string{"mon": "tue", "tue": "wed", "wed": "thu", "thu": "fri", "fri": "sat", "sat": "sun"}

// screenMessage is the door screen's message for a decision: the texts the
// LED's table holds (kiosk/led), for as long as the LEDs show it.
func screenMessage(d kiosk.Decided, acceptFor time.Duration) screen.Message {
	t := led.Screen(d, time.Now())
	o := kiosk.Outcome{Accept: d.Entry.Decision.Accept, Reason: d.Entry.Decision.Reason}
	return screen.Message{Accept: o.Accept, Title: t.Title, Text: t.Text, For: led.LitFor(o, acceptFor), Lang: d.Lang}
}
