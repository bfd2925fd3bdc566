package main

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central/email/smtptest"
	"github.com/badgeuse/badgeuse/shared/bintest"
)

// TestMailFlowsBinaries runs the real centrald and the demo's mail
// catcher, as make demo does, and goes through the mails' flows in the
// admin over HTTP: a member added is welcomed (her link works), the lost
// link form mails a one-time link (her link still works) whose button
// gives her a new link (the old one stops), a bureau user resets her
// password, a newcomer joins (address confirmed, then accepted by the
// bureau, then welcomed); centrald member add welcomes as the admin does;
// someone registers for a public event through the link its form mails;
// a restart of serve sends nothing twice.
func TestMailFlowsBinaries(t *testing.T) {
	r := newMailRig(t)
	base, runEnv, mails := r.base, r.runEnv, r.mails
	run := func(stdin string, args ...string) string {
		t.Helper()
		out, _ := runEnv(nil, stdin, args...)
		return out
	}
	product := run("", "product", "add", "--name", "Abonnement mensuel", "--kind", "subscription", "--days", "30", "--price", "120")
	for _, kv := range [][2]string{{"join.enabled", "true"}, {"join.products", product}} {
		run("", "settings", "set", kv[0], kv[1])
	}
	run("correct horse battery\n", "admin", "add", "--email", "bureau@laruche.example")

	serve := func() func() { return r.serve(r.publicURL()) }
	stop := serve()
	defer func() { stop() }()

	linkIn := func(p *smtptest.Parsed, path string) string {
		t.Helper()
		m := regexp.MustCompile(regexp.QuoteMeta(base+path) + `\S+`).FindString(p.Text)
		if m == "" {
			t.Fatalf("no %s link in %q", path, p.Text)
		}
		return strings.TrimPrefix(m, base)
	}

	bureau := newBrowser(t, base)
	bureau.login("bureau@laruche.example", "correct horse battery")
	bureau.post("/members", url.Values{"name": {"Alice Martin"}, "email": {"alice@example.org"}}, http.StatusSeeOther)
	got := mails(1)
	if got[0].Subject != "Bienvenue à La Ruche" || len(got[0].Attachments) != 1 || got[0].Attachments[0].Name != "badge.png" {
		t.Fatalf("welcome: %q %+v", got[0].Subject, got[0].Attachments)
	}
	first := linkIn(got[0], "/m/")
	if code, body := newBrowser(t, base).get(first); code != 200 || !strings.Contains(body, "Alice Martin") {
		t.Fatalf("welcome link: %d", code)
	}

	// Lost link: the form mails a one-time link and changes nothing;
	// its button gives her a new link, and only then the old one stops.
	anyone := newBrowser(t, base)
	anyone.get("/m")
	anyone.post("/m", url.Values{"email": {"alice@example.org"}}, http.StatusSeeOther)
	got = mails(2)
	request := linkIn(got[1], "/link/")
	if code, _ := anyone.get(first); code != http.StatusOK {
		t.Errorf("her link after the lost-link form: %d, want 200 (still working)", code)
	}
	alice := newBrowser(t, base)
	alice.get(request)
	resp, err := alice.c.PostForm(base+request, url.Values{"csrf": {alice.csrf}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	second := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(second, "/m/") {
		t.Fatalf("the mailed link's button: %d to %q, want 303 to her new link", resp.StatusCode, second)
	}
	if code, _ := anyone.get(first); code != http.StatusNotFound {
		t.Errorf("old link after she used the mailed one: %d", code)
	}
	if code, _ := anyone.get(second); code != http.StatusOK {
		t.Errorf("new link: %d", code)
	}

	// Password reset.
	anyone.get("/login/reset")
	anyone.post("/login/reset", url.Values{"email": {"bureau@laruche.example"}}, http.StatusSeeOther)
	got = mails(3)
	reset := linkIn(got[2], "/login/reset/")
	anyone.get(reset)
	anyone.post(reset, url.Values{"password": {"a new password"}}, http.StatusSeeOther)
	newBrowser(t, base).login("bureau@laruche.example", "a new password")

	// Joining.
	newcomer := newBrowser(t, base)
	newcomer.get("/join")
	newcomer.post("/join", url.Values{"name": {"Chloé Petit"}, "email": {"chloe@example.org"}, "product": {product},
		"consent": {"1"}}, http.StatusSeeOther)
	got = mails(4)
	if got[3].Subject != "Confirmez votre adresse — La Ruche" {
		t.Fatalf("join mail %q", got[3].Subject)
	}
	confirmPath := linkIn(got[3], "/join/confirm/")
	newcomer.get(confirmPath)
	newcomer.post(confirmPath, url.Values{}, http.StatusSeeOther)
	if _, body := newcomer.get(newcomer.location); !strings.Contains(body, "join-done") {
		t.Fatalf("join confirmation page:\n%s", body)
	}
	bureau = newBrowser(t, base)
	bureau.login("bureau@laruche.example", "a new password")
	if _, body := bureau.get("/joins"); !strings.Contains(body, "chloe@example.org") {
		t.Fatalf("the request is not on /joins")
	}
	bureau.post("/joins/1/accept", url.Values{}, http.StatusSeeOther)
	got = mails(5)
	if got[4].Subject != "Bienvenue à La Ruche" || !strings.HasPrefix(got[4].Text, "Bonjour Chloé") {
		t.Fatalf("newcomer's welcome %q %q", got[4].Subject, got[4].Text)
	}

	// centrald member add with an address welcomes her as the admin
	// does (the running serve sends it); without CENTRALD_PUBLIC_URL it
	// cannot make her link, and says so.
	id, note := runEnv([]string{"CENTRALD_PUBLIC_URL=" + base}, "", "member", "add", "--name", "Dan Roux", "--email", "dan@example.org")
	if !strings.Contains(note, "welcome e-mail to dan@example.org queued") {
		t.Errorf("member add %s: stderr %q", id, note)
	}
	got = mails(6)
	if got[5].Subject != "Bienvenue à La Ruche" || !strings.HasPrefix(got[5].Text, "Bonjour Dan") ||
		len(got[5].Attachments) != 1 || got[5].Attachments[0].Name != "badge.png" {
		t.Fatalf("member add's welcome %q %q", got[5].Subject, got[5].Text)
	}
	if code, body := newBrowser(t, base).get(linkIn(got[5], "/m/")); code != 200 || !strings.Contains(body, "Dan Roux") {
		t.Fatalf("member add's welcome link: %d", code)
	}
	if _, note := runEnv(nil, "", "member", "add", "--name", "Eve Blanc", "--email", "eve@example.org"); !strings.Contains(note, "not welcomed by e-mail: set CENTRALD_PUBLIC_URL") {
		t.Errorf("member add without a public address: stderr %q", note)
	}
	run("", "member", "add", "--name", "Fanny Noir") // no address: no mail, no note

	// A public event: its form mails a link and registers no one; the
	// link's button registers her, and her confirmation follows.
	when := time.Now().Add(72 * time.Hour).UTC().Truncate(time.Hour)
	event := strings.TrimSpace(run("", "event", "add", "--title", "Atelier compta", "--start", when.Format(time.RFC3339),
		"--end", when.Add(2*time.Hour).Format(time.RFC3339), "--capacity", "10", "--public"))
	guest := newBrowser(t, base)
	guest.get("/e/" + event)
	guest.post("/e/"+event, url.Values{"name": {"Gaby Vert"}, "email": {"gaby@example.net"}}, http.StatusSeeOther)
	if _, body := guest.get(guest.location); !strings.Contains(body, "un e-mail vient de partir") || !strings.Contains(body, "10 places libres sur 10") {
		t.Fatalf("the public event's page after its form:\n%s", body)
	}
	got = mails(7)
	if got[6].Subject != "Confirmez votre inscription\u00a0: Atelier compta — La Ruche" || !strings.HasPrefix(got[6].Text, "Bonjour Gaby") {
		t.Fatalf("registration link mail %q %q", got[6].Subject, got[6].Text)
	}
	register := linkIn(got[6], "/e/confirm/")
	guest.get(register)
	guest.post(register, url.Values{}, http.StatusSeeOther)
	if _, body := guest.get(guest.location); !strings.Contains(body, "votre place est confirmée") || !strings.Contains(body, "9 places libres sur 10") {
		t.Fatalf("the public event's page after her link:\n%s", body)
	}
	got = mails(8)
	if got[7].Subject != "Inscription confirmée\u00a0: Atelier compta — La Ruche" || !strings.Contains(got[7].Text, base+"/e/cancel/") {
		t.Fatalf("registration mail %q %q", got[7].Subject, got[7].Text)
	}

	// A restart sends nothing again.
	stop()
	stop = serve()
	time.Sleep(2 * time.Second)
	if files := r.files(); len(files) != 8 {
		t.Errorf("%d mails after a restart, want 8", len(files))
	}
}

// freeAddr returns a local address nobody listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// browser is a person's browser on the admin: cookies, the last form's
// anti-forgery token, no automatic redirects.
type browser struct {
	t    *testing.T
	base string
	c    *http.Client
	csrf string
	// location is where the last answer sent to (its Location).
	location string
}

func newBrowser(t *testing.T, base string) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, base: base, c: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

var browserCSRF = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func (b *browser) read(resp *http.Response, err error) (int, string) {
	b.t.Helper()
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	b.location = resp.Header.Get("Location")
	body, _ := io.ReadAll(resp.Body)
	if m := browserCSRF.FindStringSubmatch(string(body)); m != nil {
		b.csrf = m[1]
	}
	return resp.StatusCode, string(body)
}

func (b *browser) get(path string) (int, string) {
	b.t.Helper()
	return b.read(b.c.Get(b.base + path))
}

func (b *browser) post(path string, form url.Values, want int) (int, string) {
	b.t.Helper()
	form.Set("csrf", b.csrf)
	code, body := b.read(b.c.PostForm(b.base+path, form))
	if code != want {
		b.t.Fatalf("POST %s: %d, want %d\n%s", path, code, want, body)
	}
	return code, body
}

func (b *browser) login(email, password string) {
	b.t.Helper()
	b.get("/login")
	b.post("/login", url.Values{"email": {email}, "password": {password}}, http.StatusSeeOther)
	b.get("/today")
}

// startMailCatcher starts the demo's mail catcher (a real SMTP server in a
// process of its own, as make demo runs it) on a free address, stopped at
// the end of the test; it returns that address and the folder where it
// writes each mail it receives as an .eml file.
func startMailCatcher(t *testing.T) (smtpAddr, mailDir string) {
	t.Helper()
	catcher := bintest.Build(t, "github.com/badgeuse/badgeuse/central/cmd/mailcatcher")
	smtpAddr, mailDir = freeAddr(t), t.TempDir()
	mc := exec.Command(catcher, "--addr", smtpAddr, "--dir", mailDir)
	mcErr, _ := mc.StderrPipe()
	if err := mc.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { mc.Process.Signal(syscall.SIGTERM); mc.Wait() })
	if line, _ := bufio.NewReader(mcErr).ReadString('\n'); !strings.Contains(line, "listening") {
		t.Fatalf("mailcatcher: %q", line)
	}
	return smtpAddr, mailDir
}

// mailRig is what the mail end-to-end tests share: the real centrald on a
// data folder of its own, the demo's mail catcher, and the SMTP settings
// that send to it (from bureau@laruche.example, for the space La Ruche).
type mailRig struct {
	t        *testing.T
	bin      string
	data     string
	httpAddr string // where serve listens
	base     string // http://httpAddr
	mailDir  string // the catcher's .eml files
}

// newMailRig builds centrald, starts the mail catcher, and sets the SMTP
// settings then the settings given, in order.
func newMailRig(t *testing.T, settings ...[2]string) *mailRig {
	t.Helper()
	r := &mailRig{t: t, bin: bintest.Build(t, "."), data: t.TempDir()}
	smtpAddr, mailDir := startMailCatcher(t)
	r.mailDir, r.httpAddr = mailDir, freeAddr(t)
	r.base = "http://" + r.httpAddr
	host, port, _ := net.SplitHostPort(smtpAddr)
	for _, kv := range append([][2]string{{"smtp.host", host}, {"smtp.port", port}, {"smtp.tls", "none"},
		{"smtp.from", "bureau@laruche.example"}, {"space.name", "La Ruche"}}, settings...) {
		r.run("settings", "set", kv[0], kv[1])
	}
	return r
}

// publicURL is the variable that gives centrald its address in links.
func (r *mailRig) publicURL() string { return "CENTRALD_PUBLIC_URL=" + r.base }

// runEnv runs a centrald command with the variables env besides the data
// folder's and stdin; it returns its output, trimmed, and its errors.
func (r *mailRig) runEnv(env []string, stdin string, args ...string) (string, string) {
	r.t.Helper()
	cmd := exec.Command(r.bin, args...)
	cmd.Env = append([]string{"CENTRALD_DATA=" + r.data}, env...)
	cmd.Stdin = strings.NewReader(stdin)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		r.t.Fatalf("centrald %v: %v\n%s", args, err, stderr.String())
	}
	return strings.TrimSpace(string(out)), stderr.String()
}

// run runs a centrald command and returns its output, trimmed.
func (r *mailRig) run(args ...string) string {
	r.t.Helper()
	out, _ := r.runEnv(nil, "", args...)
	return out
}

// serve starts centrald serve with the variables env besides the data
// folder's and returns once it listens; stop stops it as systemd does.
func (r *mailRig) serve(env ...string) (stop func()) {
	r.t.Helper()
	cmd := exec.Command(r.bin, "serve", "--addr", r.httpAddr)
	cmd.Env = append([]string{"CENTRALD_DATA=" + r.data}, env...)
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		r.t.Fatal(err)
	}
	lines := bufio.NewScanner(stderr)
	for lines.Scan() && !strings.Contains(lines.Text(), "centrald listening") {
	}
	go io.Copy(io.Discard, stderr)
	return func() { cmd.Process.Signal(syscall.SIGTERM); cmd.Wait() }
}

// files lists the mails received so far, by name.
func (r *mailRig) files() []string {
	f, _ := filepath.Glob(filepath.Join(r.mailDir, "*.eml"))
	return f
}

// mails waits up to 2 minutes for at least n mails and returns them all, by
// name, parsed; fewer than n fail the test.
func (r *mailRig) mails(n int) []*smtptest.Parsed {
	r.t.Helper()
	// Long: serve, a separate process built with the race detector, took
	// more than 30 s to send a welcome mail beside other builds
	// (TestGuestInviteBinaries); the mails counted are what is asserted.
	deadline := time.Now().Add(2 * time.Minute)
	for {
		files := r.files()
		if len(files) >= n || time.Now().After(deadline) {
			sort.Strings(files)
			var out []*smtptest.Parsed
			for _, f := range files {
				b, _ := os.ReadFile(f)
				p, err := (&smtptest.Message{Data: b}).Parse()
				if err != nil {
					r.t.Fatal(err)
				}
				out = append(out, p)
			}
			if len(out) < n {
				r.t.Fatalf("%d mails, want %d", len(out), n)
			}
			return out
		}
		time.Sleep(50 * time.Millisecond)
	}
}
