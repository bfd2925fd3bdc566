// Package central is the domain of Badgeuse's central server: members, the
// products they buy, sales, badges, kiosks, the entries kiosks push, the
// visits and balances derived from them, the audit log and the settings.
//
// It holds types, pure rules, the use cases and the service interfaces
// that the outside packages implement or use. It never talks SQL or HTTP
// and knows no adapter:
//
//   - the ledger's use cases (a push, a pull, settling a member, recording
//     and refunding a sale) are here, in ledger.go and sale.go, and the
//     payments' in payments.go, over small store interfaces (LedgerTx,
//     SaleTx, PaymentTx): a store implements reads and writes, the
//     decisions stay here;
//   - side effects are typed events (event.go) that the adapters' reactions
//     turn into outbox messages (Outbox, outbox.go), served by one loop
//     (central/outbox);
//   - settings.go holds the domain's settings; each adapter declares its
//     own (central/slack, central/billing, central/email) and centrald adds
//     them with AddSettings;
//   - central/sqlstore implements every service once, in SQL over
//     database/sql, on either engine: central/sqlite (one SQLite file, the
//     default) or central/postgres, which open the database and supply
//     the Dialect of what differs;
//   - central/syncapi serves the kiosk sync protocol (shared/wire) on top of
//     KioskService and SyncService;
//   - central/admin is the web admin, central/slack, central/billing/... and
//     central/email the adapters of Slack, HelloAsso and Pennylane, and
//     SMTP;
//   - central/spreadsheet reads members from an association's CSV export;
//   - central/cmd/centrald wires them and owns the configuration.
//
// # The books
//
// The books are a ledger. Sales credit (entries of a pack, days of a
// subscription), visits debit, and balances are derived from both with
// access.Settle, never edited in place. A visit is one member at one space on
// one calendar day with at least one accepted entry: two kiosks accepting
// the same card on the same day make one visit, one consumption. Entries are
// personal movement data and are purged after the retention period; visits
// and sales stay, so purging never changes a balance.
//
// # Errors
//
// Service methods return *Error values with a code (ENOTFOUND, EINVALID,
// ECONFLICT, EUNAUTHORIZED, EFORBIDDEN) when the caller can act on the
// failure; any other error is internal. Each method documents its codes.
package central

import "context"

// Actors recorded in the audit log for changes not made by a person.
const (
	ActorCLI    = "cli"    // the centrald command line
	ActorSystem = "system" // centrald itself (retention purge)
)

type actorKey struct{}

// NewContextWithActor returns a context carrying who makes the changes done
// with it: "cli", "system", "kiosk:3", or an admin user's login. The
// services record it in the audit log.
func NewContextWithActor(ctx context.Context, actor string) context.Context {
	return context.WithValue(ctx, actorKey{}, actor)
}

// ActorFromContext returns the actor set with NewContextWithActor, or
// ActorSystem when none was set.
func ActorFromContext(ctx context.Context) string {
	if a, ok := ctx.Value(actorKey{}).(string); ok && a != "" {
		return a
	}
	return ActorSystem
}
