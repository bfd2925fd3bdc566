// Package doctor holds the first-run checks shared by kioskd doctor and
// centrald doctor, and prints every check as one line: OK and what was
// found, or FAIL and what to do, in French then English, for the volunteer
// who installs the machine.
package doctor

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"strings"
	"syscall"
	"time"
)

// Result is one check's outcome.
type Result struct {
	Name string // "clock", "disk", "camera"…
	OK   bool
	// Found says what the check saw ("synchronised", "12 GB free").
	Found string
	// Fix says what to do when !OK, in French then English.
	FixFR, FixEN string
}

// OK is a passed check.
func OK(name, found string) Result { return Result{Name: name, OK: true, Found: found} }

// Fail is a failed check with what to do.
func Fail(name, found, fr, en string) Result {
	return Result{Name: name, Found: found, FixFR: fr, FixEN: en}
}

// Print writes the results, one line each (with the fix on the next lines
// when failed), and reports whether all passed.
func Print(w io.Writer, results []Result) bool {
	all := true
	for _, r := range results {
		if r.OK {
			fmt.Fprintf(w, "OK    %-10s %s\n", r.Name, r.Found)
			continue
		}
		all = false
		fmt.Fprintf(w, "FAIL  %-10s %s\n", r.Name, r.Found)
		if r.FixFR != "" {
			fmt.Fprintf(w, "      → %s\n", r.FixFR)
		}
		if r.FixEN != "" {
			fmt.Fprintf(w, "      → %s\n", r.FixEN)
		}
	}
	return all
}

// Clock checks that the kernel's clock is synchronised (NTP through
// systemd-timesyncd or chrony), as adjtimex(2) says. A kiosk's entries
// carry its clock's time; a Pi has no battery-backed clock.
func Clock() Result {
	var tx syscall.Timex
	state, err := syscall.Adjtimex(&tx)
	if err != nil {
		return Fail("clock", "adjtimex: "+err.Error(), "Impossible de lire l’état de l’horloge.", "Cannot read the clock's state.")
	}
	return clock(state, tx.Status, time.Now())
}

// clock is Clock's verdict on adjtimex's state and status at now. A
// minimal Debian has no NTP client (systemd-timesyncd is a package of its
// own since bookworm): set-ntp then answers "NTP not supported", and the
// fix says what to install.
func clock(state int, status int32, now time.Time) Result {
	const staUnsync = 0x0040 // STA_UNSYNC
	const timeError = 5      // TIME_ERROR
	if state == timeError || status&staUnsync != 0 {
		return Fail("clock", "not synchronised ("+now.UTC().Format(time.RFC3339)+")",
			"L’horloge n’est pas synchronisée : vérifiez le réseau, puis « sudo timedatectl set-ntp true » et « timedatectl status » (s’il répond « NTP not supported » : sudo apt install systemd-timesyncd).",
			"The clock is not synchronised: check the network, then run 'sudo timedatectl set-ntp true' and 'timedatectl status' (if it answers 'NTP not supported': sudo apt install systemd-timesyncd).")
	}
	return OK("clock", "synchronised ("+now.UTC().Format(time.RFC3339)+")")
}

// Disk checks the free space of the file system holding dir.
func Disk(dir string, min uint64) Result {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return Fail("disk", err.Error(), "Le dossier de données est introuvable.", "The data folder cannot be found.")
	}
	free := st.Bavail * uint64(st.Bsize)
	found := fmt.Sprintf("%s free in %s", size(free), dir)
	if free < min {
		return Fail("disk", found,
			fmt.Sprintf("Moins de %s libres : libérez de la place (sudo apt clean, sudo journalctl --vacuum-size=100M, anciens fichiers).", size(min)),
			fmt.Sprintf("Less than %s free: make room (sudo apt clean, sudo journalctl --vacuum-size=100M, old files).", size(min)))
	}
	return OK("disk", found)
}

func size(b uint64) string {
	switch {
	case b >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(b)/(1<<30))
	case b >= 1<<20:
		return fmt.Sprintf("%d MB", b>>20)
	}
	return fmt.Sprintf("%d kB", b>>10)
}

// Folder checks that dir exists and belongs to the service user (so the
// service can open its files), with nothing in it owned by another user.
func Folder(dir, serviceUser string) Result {
	info, err := os.Stat(dir)
	if err != nil {
		return Fail("folder", err.Error(),
			"Le dossier de données n’existe pas : réinstallez le paquet, ou vérifiez --data.",
			"The data folder does not exist: reinstall the package, or check --data.")
	}
	owner := ownerOf(info)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return Fail("folder", err.Error(), "Lancez la commande avec sudo.", "Run the command with sudo.")
	}
	for _, e := range entries {
		if i, err := e.Info(); err == nil && ownerOf(i) != owner {
			return Fail("folder", fmt.Sprintf("%s/%s does not belong to the folder's owner", dir, e.Name()),
				fmt.Sprintf("Rendez les fichiers au service : sudo chown -R %s: %s", serviceUser, dir),
				fmt.Sprintf("Give the files back to the service: sudo chown -R %s: %s", serviceUser, dir))
		}
	}
	return OK("folder", fmt.Sprintf("%s (owner uid %d, mode %04o)", dir, owner, info.Mode().Perm()))
}

func ownerOf(info os.FileInfo) uint32 {
	if st, ok := info.Sys().(*syscall.Stat_t); ok {
		return st.Uid
	}
	return 0
}

// Certificate checks the HTTPS certificate of rawURL: valid for its host,
// trusted, and not expiring within two weeks. An http:// URL is reported
// (fine on a local network, not across the Internet).
func Certificate(ctx context.Context, rawURL string) Result {
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" {
		return Fail("https", fmt.Sprintf("%q is not a URL", rawURL), "Corrigez l’adresse du serveur central.", "Fix central's address.")
	}
	if u.Scheme != "https" {
		return OK("https", rawURL+" is plain http: fine on a local network only")
	}
	host := u.Host
	if u.Port() == "" {
		host = net.JoinHostPort(u.Hostname(), "443")
	}
	d := tls.Dialer{Config: &tls.Config{ServerName: u.Hostname()}}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	conn, err := d.DialContext(ctx, "tcp", host)
	if err != nil {
		return Fail("https", err.Error(),
			"Le certificat HTTPS du serveur central n’est pas valide ou le serveur ne répond pas : vérifiez Caddy/nginx sur le serveur (exemple : /usr/share/doc/badgeuse-central/examples/Caddyfile) et l’heure de cette machine.",
			"Central's HTTPS certificate is not valid or the server does not answer: check Caddy/nginx on the server (example: /usr/share/doc/badgeuse-central/examples/Caddyfile) and this machine's clock.")
	}
	defer conn.Close()
	cert := conn.(*tls.Conn).ConnectionState().PeerCertificates[0]
	left := time.Until(cert.NotAfter)
	found := fmt.Sprintf("%s valid until %s", u.Hostname(), cert.NotAfter.UTC().Format("2006-01-02"))
	if left < 14*24*time.Hour {
		return Fail("https", found,
			"Le certificat expire dans moins de deux semaines : vérifiez son renouvellement automatique (Caddy, certbot).",
			"The certificate expires within two weeks: check its automatic renewal (Caddy, certbot).")
	}
	return OK("https", found)
}

// LoadEnvFile sets the KEY=VALUE lines of an environment file (as systemd's
// EnvironmentFile reads them: comments, blank lines, optional quotes) that
// are not set yet, so that a doctor run by hand checks what the service
// runs with. A missing file is not an error.
func LoadEnvFile(path string) error {
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' || line[0] == ';' {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
			v = v[1 : len(v)-1]
		}
		if _, set := os.LookupEnv(k); !set {
			os.Setenv(k, v)
		}
	}
	return nil
}
