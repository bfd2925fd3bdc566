package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/admin"
	"github.com/badgeuse/badgeuse/central/billing"
	"github.com/badgeuse/badgeuse/central/outbox"
	"github.com/badgeuse/badgeuse/central/slack"
	"github.com/badgeuse/badgeuse/central/syncapi"
	"github.com/badgeuse/badgeuse/shared/sdnotify"
)

// Defaults of serve.
const (
	defaultAddr     = "127.0.0.1:8080"
	shutdownTimeout = 10 * time.Second
	retentionEvery  = 24 * time.Hour
)

func cmdServe(e *env, args []string) error {
	addr := e.fs.String("addr", envOr("CENTRALD_ADDR", defaultAddr), "listen address (default $CENTRALD_ADDR or "+defaultAddr+")")
	if err := e.flags(args); err != nil {
		return err
	}
	u, err := e.databaseURL()
	if err != nil {
		return err
	}
	if u == "" {
		dir, err := e.dataDir()
		if err != nil {
			return err
		}
		// Held while serving: restore refuses to replace the database
		// under a running server, and a second serve on the folder is
		// refused. On PostgreSQL, several centrald serve one database.
		lock, err := lockData(dir)
		if errors.Is(err, errLocked) {
			return fmt.Errorf("another centrald serves %s (see: systemctl status centrald)", dir)
		}
		if err != nil {
			return err
		}
		defer lock.Close()
	}
	db, err := e.open()
	if err != nil {
		return err
	}
	defer db.Close() // before the lock is released (run closes it again: a no-op)
	s := &server{DB: db, Addr: *addr, Logger: e.logger(), Notify: true}
	if err := s.Open(); err != nil {
		return err
	}
	return s.Serve(e.ctx)
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

// server is centrald serve: one HTTP server with one ServeMux, the
// retention job, and the systemd notifications.
type server struct {
	DB     *database
	Addr   string
	Logger *slog.Logger
	Notify bool          // tell systemd (shared/sdnotify; nothing is sent outside systemd)
	Slack  *slack.Worker // slack.go

	ln      net.Listener
	http    *http.Server
	admin   *admin.Server   // the web admin, once mounted (admin.go)
	bodies  *bodies         // the bound on request bodies in flight (bodies.go)
	billing *billing.Worker // HelloAsso payments, Pennylane invoices (billing.go)
	outbox  *outbox.Worker  // the one loop of every outbox topic (outbox.go)
}

// routes builds the one ServeMux of centrald. The sync API is mounted
// under /api/v1/; the web admin (central/admin) is mounted here too, on
// its own paths, when it comes.
func (s *server) routes() *http.ServeMux {
	mux := http.NewServeMux()
	api := &syncapi.Handler{
		Kiosks: s.DB.Kiosk,
		Sync:   s.DB.Sync,
		Spaces: s.DB.Space,
		Health: s.DB.Health,
		Bodies: s.bodies,
		Logger: s.Logger.With("component", "syncapi"),
	}
	api.Register(mux)
	s.mountAdmin(mux)   // the web admin at "/" (admin.go)
	s.mountBilling(mux) // HelloAsso's webhook at /hooks/helloasso (billing.go)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		if err := s.DB.Ping(r.Context()); err != nil {
			http.Error(w, "database unavailable", http.StatusServiceUnavailable)
			return
		}
		w.Write([]byte("ok\n"))
	})
	return mux
}

// apiContentSecurityPolicy is the policy of every answer that is not one
// of the admin's pages (the sync API's JSON, /healthz, the webhooks,
// errors): nothing may load, run or frame it. The admin sets its own
// policy over it (central/admin's securityHeaders), for its scripts and
// styles.
const apiContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'"

// apiHeaders sets the security headers every answer of centrald carries:
// no content sniffing (a kiosk's text sent back in a JSON error cannot be
// read as HTML), and apiContentSecurityPolicy unless the handler sets
// another.
func apiHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", apiContentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		next.ServeHTTP(w, r)
	})
}

// Open listens on Addr (":0" picks a free port; see URL).
func (s *server) Open() error {
	mem, err := bodyMemory()
	if err != nil {
		return err
	}
	s.bodies = newBodies(mem)
	s.openSlack() // slack.go
	ln, err := net.Listen("tcp", s.Addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	s.ln = ln
	s.http = &http.Server{
		Handler:           apiHeaders(s.routes()),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       time.Minute,
		WriteTimeout:      time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.Logger.Handler(), slog.LevelWarn),
	}
	s.openOutbox() // outbox.go
	return nil
}

// URL returns the base URL the server listens on.
func (s *server) URL() string { return "http://" + s.ln.Addr().String() }

// Serve serves until ctx is done, then shuts down gracefully: requests in
// flight finish (within shutdownTimeout), no new one is accepted.
func (s *server) Serve(ctx context.Context) error {
	errc := make(chan error, 1)
	go func() { errc <- s.http.Serve(s.ln) }()
	s.Logger.Info("centrald listening", "url", s.URL(), "version", versionString(), "database", s.DB.Name)
	s.notify(sdnotify.Ready)

	// The jobs use the database: Serve returns, and the caller closes the
	// database, only once they have all stopped.
	jobs, stopJobs := context.WithCancel(central.NewContextWithActor(ctx, central.ActorSystem))
	var running sync.WaitGroup
	defer running.Wait()
	defer stopJobs()
	running.Go(func() { s.retention(jobs) })
	running.Go(func() { s.runOutbox(jobs) }) // outbox.go: Slack's posts, billing's orders and invoices
	running.Go(func() { s.watchdog(jobs) })
	running.Go(func() { s.serveSlack(jobs) })  // slack.go: the digest and the bureau's alerts
	running.Go(func() { s.renewals(jobs) })    // renewal.go: the membership renewal reminders
	running.Go(func() { s.serveAlerts(jobs) }) // email.go: silent kiosks mailed to alerts.email

	var err error
	select {
	case <-ctx.Done():
	case err = <-errc:
	}
	stopJobs()
	s.notify(sdnotify.Stopping)
	s.Logger.Info("centrald stopping")
	sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if serr := s.http.Shutdown(sctx); serr != nil && err == nil {
		err = fmt.Errorf("shutdown: %w", serr)
	}
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// retention purges old entries and tombstones, and the admin's expired
// sessions and forgotten login counters, now and every day.
func (s *server) retention(ctx context.Context) {
	t := time.NewTicker(retentionEvery)
	defer t.Stop()
	for {
		entries, tombstones, err := purge(ctx, s.DB, time.Now())
		switch {
		case ctx.Err() != nil:
			return
		case err != nil:
			s.Logger.Error("retention purge", "err", err)
		case entries > 0 || tombstones > 0:
			s.Logger.Info("retention purge", "entries", entries, "tombstones", tombstones)
		}
		s.purgeAdmin(ctx) // admin.go
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// watchdog tells systemd that centrald is alive, as long as the database
// answers.
func (s *server) watchdog(ctx context.Context) {
	if !s.Notify {
		return
	}
	every := sdnotify.WatchdogInterval()
	if every <= 0 {
		return
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		pctx, cancel := context.WithTimeout(ctx, every)
		err := s.DB.Ping(pctx)
		cancel()
		if err != nil {
			s.Logger.Error("watchdog: database does not answer", "err", err)
			continue
		}
		s.notify(sdnotify.Watchdog)
	}
}

// notify sends a state to systemd when Notify is set; errors are
// ignored: systemd gone is not a reason to stop serving.
func (s *server) notify(send func() error) {
	if s.Notify {
		send()
	}
}
