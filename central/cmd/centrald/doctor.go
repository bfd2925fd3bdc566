package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/postgres"
	"github.com/badgeuse/badgeuse/central/sqlite"
	"github.com/badgeuse/badgeuse/central/sqlstore"
	"github.com/badgeuse/badgeuse/shared/doctor"
)

// envFile is the service's settings (deploy/centrald.env): the doctor reads
// it so that, run by hand, it checks what the service runs with.
const envFile = "/etc/badgeuse/centrald.env"

// Limits of the doctor's checks.
const (
	doctorMinDisk     = 500 << 20      // free bytes in the data folder
	doctorBackupAge   = 36 * time.Hour // the daily backup's newest copy
	doctorHTTPTimeout = 5 * time.Second
)

// cmdDoctor checks that this centrald can serve: one line per check, exit
// 1 if any failed.
func cmdDoctor(e *env, args []string) error {
	if err := doctor.LoadEnvFile(envOr("CENTRALD_ENV_FILE", envFile)); err != nil {
		return err
	}
	if *e.data == "" {
		*e.data = os.Getenv("CENTRALD_DATA")
	}
	if err := e.flags(args); err != nil {
		return err
	}
	u, err := e.databaseURL()
	if err != nil {
		return err
	}
	ctx := e.ctx
	if u != "" { // no data folder, no lock: the database and the server
		results := []doctor.Result{checkPostgres(ctx, u)}
		if results[0].OK {
			results = append(results, checkData(ctx, func() (*sqlstore.DB, error) { return postgres.OpenReadOnlyStore(u) })...)
		}
		results = append(results,
			doctor.Clock(),
			checkHealth(ctx, envOr("CENTRALD_ADDR", defaultAddr)),
			checkPublicURL(ctx, os.Getenv("CENTRALD_PUBLIC_URL")),
		)
		if !doctor.Print(e.stdout, results) {
			return errors.New("some checks failed (see above) / des vérifications ont échoué (voir ci-dessus)")
		}
		return nil
	}
	dir, err := e.dataDir()
	if err != nil {
		return err
	}
	database := checkDatabase(ctx, dir)
	results := []doctor.Result{doctor.Folder(dir, serviceUser), database}
	if database.OK {
		results = append(results, checkData(ctx, func() (*sqlstore.DB, error) { return sqlite.OpenReadOnlyStore(dir) })...)
	}
	results = append(results,
		doctor.Disk(dir, doctorMinDisk),
		doctor.Clock(),
		checkServing(ctx, dir, envOr("CENTRALD_ADDR", defaultAddr)),
		checkPublicURL(ctx, os.Getenv("CENTRALD_PUBLIC_URL")),
		checkBackups(backupsDir()),
	)
	if !doctor.Print(e.stdout, results) {
		return errors.New("some checks failed (see above) / des vérifications ont échoué (voir ci-dessus)")
	}
	return nil
}

// checkDatabase runs SQLite's full integrity check on the database, read
// only (centrald may be serving).
func checkDatabase(ctx context.Context, dir string) doctor.Result {
	path := filepath.Join(dir, sqlite.FileName)
	if _, err := os.Stat(path); err != nil {
		return doctor.Fail("database", path+" missing",
			"Pas encore de base : elle est créée au premier démarrage (sudo systemctl start centrald).",
			"No database yet: it is made at the first start (sudo systemctl start centrald).")
	}
	version, err := sqlite.CheckFile(ctx, path)
	var d *sqlite.DamagedError
	switch {
	case errors.As(err, &d):
		return doctor.Fail("database", d.Error(),
			"La base est endommagée : restaurez la dernière sauvegarde (sudo systemctl stop centrald; sudo centrald restore --data "+dir+" FICHIER).",
			"The database is damaged: restore the latest backup (sudo systemctl stop centrald; sudo centrald restore --data "+dir+" FILE).")
	case err != nil:
		return doctor.Fail("database", err.Error(), "", "")
	}
	info, _ := os.Stat(path)
	return doctor.OK("database", fmt.Sprintf("%s sound (%d MB, schema %d)", path, info.Size()>>20, version))
}

// checkPostgres reads the schema version of a PostgreSQL database,
// changing nothing.
func checkPostgres(ctx context.Context, u string) doctor.Result {
	version, err := postgres.CheckURL(ctx, u)
	if err != nil {
		return doctor.Fail("database", err.Error(),
			"La base PostgreSQL ne répond pas : vérifiez CENTRALD_DATABASE_URL dans "+envFile+" et le serveur.",
			"The PostgreSQL database does not answer: check CENTRALD_DATABASE_URL in "+envFile+" and the server.")
	}
	return doctor.OK("database", fmt.Sprintf("%s answers (schema %d)", describeURL(u), version))
}

// checkServing: centrald serve holds the folder's lock and answers /healthz.
func checkServing(ctx context.Context, dir, addr string) doctor.Result {
	if lock, err := lockData(dir); err == nil {
		lock.Close()
		return doctor.Fail("serve", "centrald is not running on "+dir,
			"Démarrez-le : sudo systemctl enable --now centrald (journal : journalctl -u centrald).",
			"Start it: sudo systemctl enable --now centrald (log: journalctl -u centrald).")
	}
	return checkHealth(ctx, addr)
}

// checkHealth: centrald answers /healthz at addr.
func checkHealth(ctx context.Context, addr string) doctor.Result {
	url := "http://" + addr + "/healthz"
	ctx, cancel := context.WithTimeout(ctx, doctorHTTPTimeout)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return doctor.Fail("serve", err.Error(),
			"centrald tourne mais ne répond pas à "+url+" : vérifiez CENTRALD_ADDR dans "+envFile+".",
			"centrald runs but does not answer "+url+": check CENTRALD_ADDR in "+envFile+".")
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return doctor.Fail("serve", url+": "+resp.Status, "Voir journalctl -u centrald.", "See journalctl -u centrald.")
	}
	return doctor.OK("serve", "answers on "+url)
}

// checkPublicURL checks the HTTPS certificate of the address kiosks and
// members use.
func checkPublicURL(ctx context.Context, public string) doctor.Result {
	if public == "" {
		return doctor.Fail("https", "CENTRALD_PUBLIC_URL is not set",
			"Indiquez l’adresse publique du serveur (https://…) dans "+envFile+" : les bornes et les liens des membres l’utilisent.",
			"Set the server's public address (https://…) in "+envFile+": kiosks and members' links use it.")
	}
	return doctor.Certificate(ctx, public)
}

// checkBackups: the daily backup ran (deploy/backup-central.sh).
func checkBackups(dir string) doctor.Result {
	newest := newestBackup(dir)
	if newest == "" {
		return doctor.Fail("backup", "no backup in "+dir,
			"Aucune sauvegarde : lancez sudo badgeuse-backup (le paquet la programme chaque nuit à 3 h 30).",
			"No backup: run sudo badgeuse-backup (the package runs it every night at 03:30).")
	}
	info, err := os.Stat(newest)
	if err != nil {
		return doctor.Fail("backup", err.Error(), "", "")
	}
	age := time.Since(info.ModTime()).Round(time.Minute)
	if age > doctorBackupAge {
		return doctor.Fail("backup", fmt.Sprintf("newest backup %s is %v old", newest, age),
			"La sauvegarde quotidienne ne tourne plus : vérifiez /etc/cron.d/badgeuse-backup et lancez sudo badgeuse-backup.",
			"The daily backup stopped: check /etc/cron.d/badgeuse-backup and run sudo badgeuse-backup.")
	}
	return doctor.OK("backup", fmt.Sprintf("newest %s (%v old)", newest, age))
}

// checkData reads, without changing anything, what an older centrald
// stored and this one refuses: events and rooms at a place that names no
// space (checkPlaces), spaces named with a comma (checkSpaceNames).
func checkData(ctx context.Context, open func() (*sqlstore.DB, error)) []doctor.Result {
	db, err := open()
	if err != nil {
		return []doctor.Result{doctor.Fail("places", err.Error(), "", "")}
	}
	defer db.Close()
	spaces, err := sqlstore.NewSpaceService(db).FindSpaces(ctx)
	if err != nil {
		return []doctor.Result{doctor.Fail("spaces", err.Error(), "", "")}
	}
	rows, err := sqlstore.NewCalendarService(db).Places(ctx)
	if err != nil {
		return []doctor.Result{doctor.Fail("places", err.Error(), "", "")}
	}
	return []doctor.Result{checkPlaces(central.UnknownPlaces(spaces, rows)), checkSpaceNames(spaces)}
}

// checkPlaces: no event or room is at a place that names no space (an
// older `centrald event add --space 1` stored the text given): the whole
// network sees them and no door knows them.
func checkPlaces(unknown []central.Placed) doctor.Result {
	if len(unknown) == 0 {
		return doctor.OK("places", "every event and room is at a space of the network")
	}
	var events, rooms []int64
	for _, p := range unknown {
		if p.Resource {
			rooms = append(rooms, p.ID)
		} else {
			events = append(events, p.ID)
		}
	}
	var parts []string
	if len(events) > 0 {
		parts = append(parts, countIDs(events, "event"))
	}
	if len(rooms) > 0 {
		parts = append(parts, countIDs(rooms, "room"))
	}
	return doctor.Fail("places", strings.Join(parts, " and ")+" name a space that does not exist",
		"Une ancienne version les a enregistrés avec un espace qui n’existe pas : tout le réseau les voit et aucune borne ne les connaît. Choisissez leur espace dans l’admin, avec un compte du réseau : un événement (Événements → l’événement → Modifier), une salle (Salles et matériel → la salle → Modifier) ; ou une salle avec sudo centrald room space --room ID --space ESPACE.",
		"An older version stored them at a space that does not exist: the whole network sees them and no kiosk knows them. Pick their space in the admin, with a network account: an event (Events → the event → Edit), a room (Rooms and equipment → the room → Edit); or a room with sudo centrald room space --room ID --space SPACE.")
}

// countIDs says "1 event (id 3)", "2 rooms (ids 1, 4)", at most 20 ids.
func countIDs(ids []int64, what string) string {
	list := make([]string, 0, min(len(ids), 20))
	for i, id := range ids {
		if i == 20 {
			list = append(list, "…")
			break
		}
		list = append(list, strconv.FormatInt(id, 10))
	}
	if len(ids) == 1 {
		return fmt.Sprintf("1 %s (id %s)", what, list[0])
	}
	return fmt.Sprintf("%d %ss (ids %s)", len(ids), what, strings.Join(list, ", "))
}

// checkSpaceNames: no space's name has a comma (an older version allowed
// one): the members export separates a member's spaces with ", ".
func checkSpaceNames(spaces []*central.Space) doctor.Result {
	var bad []string
	id := int64(0)
	for _, sp := range spaces {
		if strings.Contains(sp.Name, ",") {
			bad = append(bad, fmt.Sprintf("space %d %q", sp.ID, sp.Name))
			if id == 0 {
				id = sp.ID
			}
		}
	}
	switch {
	case len(bad) == 0:
		return doctor.OK("spaces", "no space's name has a comma")
	case len(bad) == 1:
		bad[0] += " has a comma in its name"
	default:
		bad[len(bad)-1] += " have a comma in their names"
	}
	how := fmt.Sprintf("sudo centrald space set --space %d --name", id)
	return doctor.Fail("spaces", strings.Join(bad, "; "),
		"L’export des membres sépare les espaces de chacun par des virgules (colonne « Espaces ») : ce nom s’y lirait comme deux espaces. Renommez-le sans virgule : "+how+" \"Nouveau nom\" (l’espace principal : aussi Réglages → L’espace).",
		"The members export separates each member's spaces with commas (column “Spaces”): this name would read as two spaces there. Rename it without a comma: "+how+" \"New name\" (the main space: also Settings → The space).")
}
