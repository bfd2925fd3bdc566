package central_test

import (
	"strings"
	"testing"

	"github.com/badgeuse/badgeuse/shared/deptest"
)

const mod = "github.com/badgeuse/badgeuse"

const adminStore = mod + "/central/admin/adminstore"

// TestDeps enforces central's layering: nothing of the kiosk nor of its
// cgo libraries (gocv, periph, gozxing) is linked; the domain (package
// central) uses only the standard library and shared/, without SQL, HTTP,
// templates or SMTP, and imports no adapter; only central/slack links
// slack-go and only central/email links go-mail (cmd/ wires them);
// adapters (sqlite, syncapi, admin, slack, billing/...) talk through the
// domain and never import one another. central/spreadsheet, a pure reader
// of a file format with no outside dependency, and central/outbox, the one
// worker loop of the outbox that every consumer plugs its handlers into,
// may be used by any of them; both use only the domain and shared/.
// central/admin/adminstore holds the types of the admin's Store (sessions,
// login throttle, read models) and the admin's own rules the store runs in
// its transactions (rules.go), over the domain only; the admin and the
// store that implements its Store (central/sqlstore) use it.
//
// One store: central/sqlstore implements every service once over
// database/sql and links no database driver; what differs between engines
// is its Dialect, which each engine package (central/sqlite,
// central/postgres) supplies. Only the engine packages link their driver
// and build on sqlstore, so a change of the store is written once and the
// conformance suite (central/storetest) proves it on both engines.
func TestDeps(t *testing.T) {
	pkgs := deptest.List(t, mod+"/central/...")
	deptest.Check(t, pkgs,
		deptest.Rule{From: mod + "/central", Transitive: true,
			Deny: []string{mod + "/kiosk", "gocv.io", "periph.io", "github.com/makiuchi-d/gozxing"},
			Why:  "central must not link the kiosk's code nor cgo libraries: it cross-compiles with CGO_ENABLED=0"},
		deptest.Rule{From: mod + "/central", Exact: true, Deny: []string{"non-std", "database/sql", "net/http"},
			Allow: []string{mod + "/shared"},
			Why:   "the domain holds types and rules only: no SQL, no HTTP, no outside library, no adapter"},
		deptest.Rule{From: mod + "/central", Exact: true, Deny: []string{"html/template", "text/template", "net/smtp"},
			Why: "the domain renders no page, no message and sends no mail: Slack's texts are central/slack's, pages central/admin's, mails central/email's"},
		deptest.Rule{From: mod + "/central/email", Exact: true, Deny: []string{"non-std"},
			Allow: []string{mod + "/central", mod + "/shared", "github.com/wneessen/go-mail"},
			Why:   "the e-mail adapter speaks SMTP through go-mail only; receipts reach it through its Receipts interface, not by importing billing"},
		deptest.Rule{From: adminStore, Exact: true, Deny: []string{"non-std", "database/sql", "net/http"},
			Allow: []string{mod + "/central", mod + "/shared"},
			Why:   "the admin's store types are types only, over the domain"},
		deptest.Rule{From: mod + "/central/outbox", Exact: true, Deny: []string{"non-std", "database/sql", "net/http"},
			Allow: []string{mod + "/central", mod + "/shared"},
			Why:   "the outbox loop runs over central.Outbox and handlers: it knows no store and no service"},
		deptest.Rule{From: mod + "/central/sqlstore", Exact: true, Deny: []string{"non-std"},
			Allow: []string{mod + "/central", mod + "/shared", adminStore},
			Why:   "the one store is SQL over database/sql: no driver (the engines' differences are its Dialect), no other adapter"},
		deptest.Rule{From: mod + "/central/sqlstore", Transitive: true,
			Deny: []string{"modernc.org/sqlite", "github.com/jackc/pgx", mod + "/central/sqlite", mod + "/central/postgres"},
			Why:  "the one store knows no engine: an engine's SQL and locks come through Dialect"},
		deptest.Rule{From: mod + "/central/spreadsheet", Exact: true, Deny: []string{"non-std"},
			Allow: []string{mod + "/central", mod + "/shared"},
			Why:   "the spreadsheet reader reads a file format, with no outside dependency"},
	)
	// One package per outside thing: only the adapter of a service links
	// its client library (cmd/ links them all, to wire them, and so does
	// the stores' conformance suite, which registers the adapters'
	// reactions as centrald does).
	for lib, owner := range map[string]string{"github.com/slack-go/slack": mod + "/central/slack",
		"github.com/wneessen/go-mail": mod + "/central/email", "modernc.org/sqlite": mod + "/central/sqlite",
		"github.com/jackc/pgx": mod + "/central/postgres"} {
		for _, p := range pkgs {
			if p.ImportPath == owner || strings.HasPrefix(p.ImportPath, owner+"/") || strings.HasPrefix(p.ImportPath, mod+"/central/cmd/") ||
				p.ImportPath == mod+"/central/storetest" {
				continue
			}
			for _, d := range p.Deps {
				if d == lib || strings.HasPrefix(d, lib+"/") {
					t.Errorf("%s links %s: only %s may", p.ImportPath, d, owner)
				}
			}
		}
	}
	shared := map[string]bool{mod + "/central/spreadsheet": true, mod + "/central/outbox": true}
	engine := map[string]bool{mod + "/central/sqlite": true, mod + "/central/postgres": true}
	for _, p := range pkgs {
		if !isAdapter(p.ImportPath) {
			continue
		}
		for _, imp := range p.Imports {
			switch {
			case !isAdapter(imp), imp == p.ImportPath, shared[imp],
				strings.HasPrefix(p.ImportPath, imp+"/"), // a package of an adapter uses the adapter
				strings.HasPrefix(imp, p.ImportPath+"/"), // an adapter uses its own packages
				imp == adminStore && p.ImportPath == mod+"/central/sqlstore",
				imp == mod+"/central/sqlstore" && engine[p.ImportPath]: // an engine supplies the one store's Dialect
				continue
			}
			t.Errorf("%s imports %s: central adapters talk through the central domain, not to each other", p.ImportPath, imp)
		}
	}
}

// isAdapter: central/<x>/..., except cmd/ (which wires adapters) and test
// helper packages (named ...test, which may build on their adapter).
func isAdapter(path string) bool {
	rest, ok := strings.CutPrefix(path, mod+"/central/")
	return ok && !strings.HasPrefix(rest, "cmd/") && !strings.HasSuffix(path, "test")
}
