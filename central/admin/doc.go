// Package admin is Badgeuse's web admin for the bureau (the association's
// volunteers) and the members' self-service page: server-rendered pages
// (html/template, embedded templates and assets, no JavaScript needed),
// French by default and English on request, usable on a phone.
//
// New returns an http.Handler that centrald serve mounts at "/"; the sync
// API (/api/v1/) and billing's webhooks (/hooks/...) are mounted beside it
// with longer patterns, so they are never shadowed.
//
// # Layout
//
//   - admin.go: Config, New, the Server and its route table (routes.go);
//   - security: password.go (argon2id), session.go (cookies, timeouts),
//     csrf.go, throttle.go (login throttling), headers.go (CSP...),
//     roles.go (who may do what);
//   - i18n.go (message catalog, fr and en), format.go (money, dates);
//   - render.go (templates: templates/layout.html + templates/views/*.html);
//   - one file per page or action: today.go, member_list.go,
//     member_save.go, member_show.go, badge_issue.go, sale_create.go,
//     settings_page.go (with setting_form.go), billing_settings.go,
//     register.go (the register of members), donations.go (donations,
//     totals per year, their CSV)...;
//   - e-mail (queued through Config.Mails, central/email in the outbox):
//     mail.go (welcome on creation, "send by e-mail" for links and
//     badges, the login-free lost link form /m and the one-time link it
//     mails, /link/{token}, a bureau user's password reset /login/reset,
//     the reminders' preferences page /u/{token},
//     mails given up on a member's page, throttling of public forms),
//     join.go (the public join page /join, its confirmation, the
//     bureau's /joins), claim.go (a member claims the address of her
//     payments; her page's buy-more and renew links). Links sent by e-mail are
//     stored hashed (Store.CreateMailToken) and confirmed by a button,
//     never by opening the link (mail programs open links to scan them).
//
// # Adding a page (Slack, billing...)
//
// A page is one Go file, one template and one route line:
//
//  1. central/admin/slack_settings.go: a handler method on *Server that
//     reads the services it needs and calls s.render(w, r, "slack_settings",
//     data); an init function there may register its messages with
//     addMessages(map[string][2]string{"slack.title": {"Slack", "Slack"}}).
//     French is written with ordinary spaces (« Salon : », « Envoyer ? »):
//     addMessages puts French typography's no-break ones (french.Spaces).
//  2. central/admin/templates/views/slack_settings.html:
//     {{define "content"}}...{{end}}, every visible string through
//     {{$.T "key"}}, forms with {{template "csrf" $}}.
//  3. one line in routes.go, with the roles allowed:
//     s.handle("GET /settings/slack", admins, s.slackSettings)
//     (and the route in the route × role test table of routes_test.go,
//     which fails until it is there).
//
// Settings keys added to central's settings table appear on /settings by
// themselves (under "Avancé", by their key, secrets write-only) until
// they have a place: a group of settingsGroups (settings_page.go), or the
// Slack or billing page for slack.*, helloasso.*, pennylane.*, billing.*
// and association.* keys; and a label and help, "setting.KEY" and
// "setting.KEY.help" in the catalog (TestEverySettingHasAPlace checks).
// setting_form.go draws the fields (text, secret, list, number, duration
// as a number and a unit) and saves them.
//
// # Messages of central's errors
//
// central's errors carry English messages and Errorf's format and
// arguments; domain_errors.go translates them by format. A new
// Errorf(EINVALID|ECONFLICT|ENOTFOUND, "...") in central's packages fails
// TestDomainErrorsTranslated until its French is there.
//
// # Tests
//
// Every page and action is tested over HTTP on a real SQLite file
// (pages_test.go, flows_test.go), the access policy route by route and
// role by role (routes_test.go), each security measure (security_test.go),
// and the main scenario in a real headless Chromium (browser_test.go:
// /usr/bin/chromium, installed by `make deps`; BADGEUSE_SKIP_BROWSER=1
// skips it). The browser test saves screenshots (390 px phone and
// desktop) to $BADGEUSE_ARTIFACTS (default: a temporary folder) and, with
// BADGEUSE_SCREENSHOTS=deploy/screenshots (relative to the repository),
// the main ones for the README. BenchmarkPages (bench_test.go) checks
// that the members list and Today render in under 100 ms at p95 with
// 10,000 members and 1,000,000 entries:
//
//	go test -run '^$' -bench Pages -benchtime 200x ./central/admin/
//
// What every test would redo is done once per test binary: the database
// is migrated once and copied into each test's own folder (its own file,
// and its own code signing key: setup_once_test.go), each test password
// hashed once, the templates parsed once (as in centrald, one Server per
// process), and the browser tests share one Chromium, each test in a
// browser context of its own (its own cookies, storage and service
// workers: TestBrowserTestsApart).
//
// # Security
//
// Passwords are hashed with argon2id (m=19 MiB, t=2, p=1); sessions are
// 256-bit random ids stored as SHA-256, in HttpOnly, SameSite=Lax cookies,
// Secure (and __Host- prefixed) over HTTPS, with idle and absolute
// timeouts and a new id at each login; every POST carries a per-session
// anti-forgery token (and net/http.CrossOriginProtection checks
// Sec-Fetch-Site / Origin); failed logins slow down then lock, per account
// and per client address; every route checks the user's role; responses
// carry a strict Content-Security-Policy (no inline script or style),
// frame-ancestors 'none', nosniff, and a referrer sent to this site
// only (same-origin). Logs hold no e-mail, name, password, token or
// badge text.
package admin
