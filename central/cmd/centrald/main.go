// Command centrald is Badgeuse's central server and its command line: it
// serves the kiosk sync API and the web admin, runs the outbox loop (Slack,
// Pennylane, e-mail), and manages members, products, sales, badges, kiosks
// and settings in one SQLite file.
//
// Every command takes --data DIR, the data folder (or the environment
// variable CENTRALD_DATA), prints its result on stdout, its errors on
// stderr, and exits non-zero on failure. Run "centrald help" for the list.
//
// Configuration lives here only: flags and environment variables, copied
// into the packages' fields.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	_ "time/tzdata" // time zones even on a minimal system

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/postgres"
	"github.com/badgeuse/badgeuse/central/sqlite"
	"github.com/badgeuse/badgeuse/shared/access"
	"github.com/badgeuse/badgeuse/shared/datadir"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "centrald: "+errorText(err))
		var u usageError
		if errors.As(err, &u) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// errorText is what a person reads: the message of a central.Error, the
// full chain of an internal error (the operator needs the details).
func errorText(err error) string {
	var e *central.Error
	if errors.As(err, &e) {
		return e.Message
	}
	return err.Error()
}

// usageError is a mistake in the command line.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// command is one line of "centrald help".
type command struct {
	name  string // "member add"
	usage string // arguments
	help  string
	run   func(e *env, args []string) error
}

var commands = []command{
	{"serve", "--addr 127.0.0.1:8080", "serve the kiosk sync API until SIGINT or SIGTERM", cmdServe},
	{"member add", "--name NAME [--email EMAIL]", "add a member; prints her id", cmdMemberAdd},
	{"member import", "[--dry-run] [--skip-errors] FILE.csv", "add members from a spreadsheet (CSV with name and email columns); all or nothing unless --skip-errors", cmdMemberImport},
	{"member suspend", "--member ID", "suspend a member: refused at the door until activated", cmdMemberStatus(access.MemberSuspended)},
	{"member archive", "--member ID", "archive a member who left: refused at the door", cmdMemberStatus(access.MemberArchived)},
	{"member activate", "--member ID", "make a suspended or archived member active again", cmdMemberStatus(access.MemberActive)},
	{"product add", "--name NAME --kind pack|subscription|unlimited|membership [--entries N] [--days N | --year] --price EUROS [--space SPACE] [--spaces all|ID,ID,...]", "add a product (valid at its selling space only unless --spaces); prints its id", cmdProductAdd},
	{"sell", "--member ID --product ID [--amount EUROS] [--paid cash|cheque|transfer|card|other|unpaid] [--bank B --cheque N] [--payer NAME]", "record a sale; prints its id", cmdSell},
	{"pay", "--sale ID --paid cash|cheque|transfer|card|other [--day YYYY-MM-DD] [--bank B --cheque N] [--payer NAME]", "record the payment of an unpaid sale", cmdPay},
	{"event add", "--title TITLE --start RFC3339 --end RFC3339 --capacity N [--space SPACE] [--public] [--consumes] [--past]", "add an event with a capacity; prints its id (a start in the past is refused unless --past)", cmdEventAdd},
	{"event register", "--event ID (--member ID | --name NAME --email EMAIL)", "register for an event; prints confirmed or waitlisted", cmdEventRegister},
	{"event price", "--event ID (--form URL --price EUROS | --free)", "sell an event through its HelloAsso event form: a payment of the form registers its payer (--free: free again)", cmdEventPrice},
	{"event cancel", "--event ID --registration ID", "cancel a registration; the first on the waiting list gets the place (printed: confirmed ID)", cmdEventCancel},
	{"event registrations", "--event ID [--json]", "print an event's registrations, one per line", cmdEventRegistrations},
	{"event ticket", "--event ID --registration ID", "print the event ticket (QR code text) of someone registered who is not a member", cmdEventTicket},
	{"room space", "--room ID --space SPACE", "move a room or equipment to a space (id or name): one an older version stored at a space that does not exist (centrald doctor names them)", cmdRoomSpace},
	{"refund", "--sale ID", "refund a sale: it no longer credits anything", cmdRefund},
	{"badge issue", "--member ID [--png FILE] [--keep]", "issue a badge; prints its text (shown once); revokes the member's other badges unless --keep", cmdBadgeIssue},
	{"badge revoke", "--badge TEXT-OR-ID", "revoke a badge", cmdBadgeRevoke},
	{"badge phone", "--member ID", "add a badge on the member's phone (her other badges stay); prints its id", cmdBadgePhone},
	{"badge codes", "--badge ID --from RFC3339 --count N", "print a phone badge's codes, one per line, for N 30-second windows from that time: what the phone shows", cmdBadgeCodes},
	{"guest add", "--host MEMBER_ID --name NAME --day YYYY-MM-DD [--space SPACE]", "issue a guest pass for that day (the bureau's: no quota); prints its text (its QR code's)", cmdGuestAdd},
	{"space add", "--name NAME [--timezone TZ] [--address TEXT] [--hours TEXT]", "add a space to the network; prints its id", cmdSpaceAdd},
	{"space list", "[--json]", "list the spaces (--json: one JSON object per line)", cmdSpaceList},
	{"space set", "--space SPACE [--name NAME] [--address TEXT] [--slack-channel ID] [--mail-name NAME] [KEY VALUE]", "rename a space (--name, without a comma: its kiosks and visits stay its own), set its own door policy (door.require_membership, door.show_names, kiosk.passback, kiosk.stale_after, kiosk.stale_policy), its own books (association.*, billing.vat_rate, .legal_mention, pennylane.*, helloasso.* but create_members: a space that is a separate association; VALUE \"-\" reads it from stdin; VALUE \"\" removes one), its postal address (--address, given to guests and on public event pages), its Slack channel or its mail sender name (\"\": the network's)", cmdSpaceSet},
	{"space convention", "--host SPACE --seller SPACE --rate EUROS", "set what the seller pays the host per visit of its passes (their convention; the settlement's rate)", cmdSpaceConvention},
	{"space conventions", "[--json]", "list the conventions between spaces", cmdSpaceConventions},
	{"settlement", "--month YYYY-MM [--rate EUROS] [--json]", "visits each space received of passes another space sold, per pair of spaces (a network's settlement)", cmdSettlement},
	{"kiosk add", "--name NAME --space SPACE", "add a kiosk to a space (id or name; the only one when there is one); prints its one-time enrollment token", cmdKioskAdd},
	{"kiosk list", "[--json]", "list the kiosks with their health (--json: one JSON object per line)", cmdKioskList},
	{"kiosk disable", "--kiosk ID", "refuse a kiosk's calls", cmdKioskDisable},
	{"kiosk enable", "--kiosk ID", "accept a disabled kiosk again", cmdKioskEnable},
	{"entries", "[--json] [--member ID] [--kiosk ID]", "print the entries, one per line", cmdEntries},
	{"balance", "--member ID [--json]", "print a member's balance", cmdBalance},
	{"settings get", "KEY", "print a setting", cmdSettingsGet},
	{"settings set", "KEY VALUE", "change a setting (VALUE - reads it from stdin)", cmdSettingsSet},
	{"settings list", "", "list the settings, secrets masked", cmdSettingsList},
	{"purge", "", "apply the retention settings now (serve does it daily)", cmdPurge},
	{"demo", "--badges FILE", "fill an empty data folder with a demo association (make demo)", cmdDemo},
	{"backup", "FILE", "write a consistent copy of the database to FILE, even while centrald serves", cmdBackup},
	{"restore", "FILE", "replace the database with the backup FILE (.db or .db.gz); centrald must be stopped", cmdRestore},
	{"doctor", "", "check the data folder, database, disk, clock, server, HTTPS certificate and backups; exit 1 if any fails", cmdDoctor},
	{"version", "", "print the version", cmdVersion},
}

// env is what a command runs with.
type env struct {
	ctx    context.Context
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	fs     *flag.FlagSet
	data   *string
	// dbURL and dbPasswordFile are --db and --db-password-file: a
	// PostgreSQL database instead of the data folder's SQLite file.
	dbURL          *string
	dbPasswordFile *string
	db             *database
	// dataDone gives what the command made as root to the data folder's
	// owner (shared/datadir); set by dataDir.
	dataDone func()
}

// run runs the command line args (without the program name).
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stderr)
		if len(args) == 0 {
			return usagef("no command")
		}
		return nil
	}
	for _, c := range commands {
		words := strings.Fields(c.name)
		if len(args) < len(words) || strings.Join(args[:len(words)], " ") != c.name {
			continue
		}
		fs := flag.NewFlagSet("centrald "+c.name, flag.ContinueOnError)
		fs.SetOutput(stderr)
		fs.Usage = func() { fmt.Fprintf(stderr, "usage: centrald %s --data DIR %s\n  %s\n", c.name, c.usage, c.help) }
		e := &env{ctx: central.NewContextWithActor(ctx, central.ActorCLI), stdin: stdin, stdout: stdout, stderr: stderr, fs: fs}
		e.data = fs.String("data", os.Getenv("CENTRALD_DATA"), "data folder (default $CENTRALD_DATA)")
		// No default shown: CENTRALD_DATABASE_URL may hold a password,
		// and usage prints defaults.
		e.dbURL = fs.String("db", "", "PostgreSQL database URL postgres://... (default $CENTRALD_DATABASE_URL); without it, SQLite in --data")
		e.dbPasswordFile = fs.String("db-password-file", "", "read the PostgreSQL password from this file (default $CENTRALD_DATABASE_PASSWORD_FILE)")
		err := c.run(e, args[len(words):])
		if e.db != nil {
			if cerr := e.db.Close(); err == nil && cerr != nil {
				err = cerr
			}
		}
		if e.dataDone != nil {
			e.dataDone()
		}
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	usage(stderr)
	return usagef("unknown command %q", strings.Join(args, " "))
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: centrald COMMAND --data DIR [flags]")
	fmt.Fprintln(w, "\ncommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-14s %s\n  %-14s   %s\n", c.name, c.usage, "", c.help)
	}
}

// parse parses the flags, which may come before or after the positional
// arguments, and checks the number of positional arguments.
func (e *env) parse(args []string, positional ...int) ([]string, error) {
	var pos []string
	for {
		if err := e.fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usageError{err.Error()}
		}
		args = e.fs.Args()
		if len(args) == 0 {
			break
		}
		pos, args = append(pos, args[0]), args[1:]
	}
	if !slices.Contains(positional, len(pos)) {
		e.fs.Usage()
		return nil, usagef("%s: want %d argument(s), got %d", e.fs.Name(), positional[0], len(pos))
	}
	return pos, nil
}

// flags parses the flags of a command that takes no positional argument
// and checks that the required ones were given.
func (e *env) flags(args []string, required ...string) error {
	if _, err := e.parse(args, 0); err != nil {
		return err
	}
	return e.required(required...)
}

// start is flags, then open: the first step of most commands. Commands
// that check their flags' values first call flags and open.
func (e *env) start(args []string, required ...string) (*database, error) {
	if err := e.flags(args, required...); err != nil {
		return nil, err
	}
	return e.open()
}

// logger returns the logger of a command: text on stderr.
func (e *env) logger() *slog.Logger { return slog.New(slog.NewTextHandler(e.stderr, nil)) }

// serviceUser is the user the centrald service runs as (the package
// creates it).
const serviceUser = "centrald"

// dataDir returns the data folder, absolute (it is shown in commands to
// copy), made usable by this command and afterwards by the service: run
// as root, what the command makes there is given to the folder's owner;
// run as a user who cannot write it, the command is refused with the line
// to type (shared/datadir).
func (e *env) dataDir() (string, error) {
	if e.data == nil || *e.data == "" {
		return "", usagef("%s: --data DIR required (or CENTRALD_DATA)", e.fs.Name())
	}
	dir, err := filepath.Abs(*e.data)
	if err != nil {
		return "", err
	}
	if e.dataDone == nil {
		done, err := datadir.Prepare(dir, serviceUser)
		if err != nil {
			return "", err
		}
		e.dataDone = done
	}
	return dir, nil
}

// open opens the command's database: PostgreSQL's when --db (or
// CENTRALD_DATABASE_URL) names one, else the SQLite file of the data
// folder. A damaged SQLite database is refused with the commands that
// restore the last backup.
func (e *env) open() (*database, error) {
	u, err := e.databaseURL()
	if err != nil {
		return nil, err
	}
	if u != "" {
		pdb := postgres.NewDB(u)
		pdb.Reactions = reactions() // outbox.go
		if err := pdb.Open(); err != nil {
			return nil, err // never holds the URL (central/postgres)
		}
		db := onPostgres(pdb)
		installEmail(db) // email.go
		e.db = db
		return db, nil
	}
	dir, err := e.dataDir()
	if err != nil {
		return nil, err
	}
	sdb := sqlite.NewDB(dir)
	sdb.Reactions = reactions() // outbox.go
	if err := sdb.Open(); err != nil {
		var d *sqlite.DamagedError
		if errors.As(err, &d) {
			return nil, errors.New(damagedText(dir, d))
		}
		return nil, err
	}
	if sdb.CheckUnfinished {
		e.logger().Warn("database check stopped after its time bound: the part read was sound", "database", sdb.Path, "bound", sqlite.DefaultCheckTime)
	}
	if sdb.MigrationCopy != "" {
		e.logger().Info("database upgraded; a copy made before is kept", "copy", sdb.MigrationCopy)
	}
	db := onSQLite(sdb)
	installEmail(db) // email.go
	e.db = db
	return db, nil
}

// required checks that flags were given.
func (e *env) required(names ...string) error {
	set := map[string]bool{}
	e.fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	for _, n := range names {
		if !set[n] {
			e.fs.Usage()
			return usagef("%s: --%s required", e.fs.Name(), n)
		}
	}
	return nil
}
