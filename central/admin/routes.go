package admin

import (
	"context"
	"errors"
	"io/fs"
	"net/http"
	"net/url"
	"strings"
	"unicode"

	"github.com/badgeuse/badgeuse/central"
)

// Request bodies: a logged-in POST reads at most maxFormBytes (a CSV
// import is the largest); a public one (the login form, a member's page)
// at most maxPublicFormBytes, for an e-mail, a password, a token and a
// next path. Both are read only once a share of Config.Bodies is taken.
const (
	maxFormBytes       = 8 << 20
	maxPublicFormBytes = 16 << 10
)

// Route is a route of the admin and who may use it.
type Route struct {
	Pattern string // "GET /members/{id}"
	Public  bool   // no login needed
	roles   roleSet
}

// Roles returns the roles allowed on the route (nil for a public route).
func (rt Route) Roles() []central.Role { return rt.roles.List() }

// Spaced reports whether users of one space may use the route (scope.go):
// its handler shows them their space only. Other routes are the network's.
func (rt Route) Spaced() bool { return !rt.Public && spaceRoutes[rt.Pattern] }

// allows reports whether u may use the route: her role, and her space.
func (rt Route) allows(u *central.AdminUser) bool {
	return rt.roles.can(u) && (u.Network() || rt.Spaced())
}

// Routes returns the admin's routes, in registration order.
func (s *Server) Routes() []Route { return append([]Route(nil), s.routes...) }

// registerRoutes is the admin's route table: one line per page or action.
func (s *Server) registerRoutes() {
	// Public.
	s.public("GET /login", s.loginPage)
	s.public("POST /login", s.login)
	s.public("GET /lang/{lang}", s.setLang)
	s.public("GET /m/{token}", s.selfPage)
	s.public("POST /m/{token}/badge", s.selfBadge)
	s.public("POST /m/{token}/guests", s.selfGuestCreate) // her guests: guests.go
	s.public("GET /m/{token}/guests/{pass}", s.selfGuestPage)
	s.public("POST /m/{token}/guests/{pass}/mail", s.selfGuestMail)
	s.public("POST /m/{token}/phone", s.selfPhoneCreate) // the badge on her phone: self_phone.go
	s.public("POST /m/{token}/phone/{id}/revoke", s.selfPhoneStop)
	s.public("GET /m/{token}/phone/{id}/{$}", s.selfPhonePage)
	s.public("GET /m/{token}/phone/{id}/codes.json", s.selfPhoneCodes)
	s.public("GET /m/{token}/phone/{id}/manifest.webmanifest", s.selfPhoneManifest)
	s.public("GET /m/{token}/phone/{id}/sw.js", s.selfPhoneWorker)
	s.public("GET /m/{token}/here", s.selfHere) // the portal's tabs: self_community.go
	s.public("GET /m/{token}/here/events", s.selfHereEvents)
	s.public("GET /m/{token}/directory", s.selfDirectory)
	s.public("POST /m/{token}/profile", s.selfProfile)
	s.public("GET /m/{token}/agenda", s.selfAgenda) // events.go
	s.public("POST /m/{token}/agenda/{id}/register", s.selfRegister)
	s.public("POST /m/{token}/agenda/{id}/cancel", s.selfUnregister)
	s.public("GET /m/{token}/book", s.selfBook) // bookings.go
	s.public("POST /m/{token}/book", s.selfBookPost)
	s.public("POST /m/{token}/book/{id}/cancel", s.selfBookCancel)
	s.public("GET /m/{token}/{rest...}", s.selfElsewhere) // a form's address, her link with a slash: self_community.go
	// E-mail (mail.go): the lost link, a bureau user's password reset,
	// a member's mail preferences (the reminders' unsubscribe link).
	s.public("GET /m", s.lostLinkPage)
	s.public("POST /m", s.lostLink)
	s.public("GET /link/{token}", s.linkRequestPage) // the link the lost-link form mails: mail.go
	s.public("POST /link/{token}", s.linkRequestConfirm)
	s.public("GET /login/reset", s.resetPage)
	s.public("POST /login/reset", s.resetRequest)
	s.public("GET /login/reset/{token}", s.resetForm)
	s.public("POST /login/reset/{token}", s.resetSave)
	s.public("POST /m/{token}/mail", s.selfMailPrefs)
	s.public("GET /u/{token}", s.prefsPage)
	s.public("POST /u/{token}", s.prefsSave)
	// Joining online (join.go).
	s.public("GET /join", s.joinPage)
	s.public("POST /join", s.join)
	s.public("GET /join/confirm/{token}", s.joinConfirmPage)
	s.public("POST /join/confirm/{token}", s.joinConfirm)
	// Links of events that work without logging in (event_public.go).
	s.public("GET /e/cancel/{token}", s.eventCancelPage)
	s.public("POST /e/cancel/{token}", s.eventCancelConfirm)
	s.public("GET /e/cancelled", s.eventCancelled)
	s.public("GET /e/confirm/{token}", s.eventRegisterPage)
	s.public("POST /e/confirm/{token}", s.eventRegisterConfirm)
	s.public("GET /e/{id}", s.eventPublic)
	s.public("GET /e/calendar.ics", s.publicEventsFeed) // calendar.go
	s.public("GET /c/{token}/agenda.ics", s.memberFeed)
	s.public("GET /c/{token}/resources/{id}/availability.ics", s.resourceFeed)
	s.public("POST /m/{token}/calendar", s.selfCalendar)
	s.public("POST /m/{token}/calendar/revoke", s.selfCalendarRevoke)
	s.public("POST /e/{id}", s.eventPublicRegister)
	// Claiming a payment made with another address (claim.go).
	s.public("POST /m/{token}/claim", s.selfClaim)
	s.public("GET /claim/{token}", s.claimPage)
	s.public("POST /claim/{token}", s.claimConfirm)
	static, _ := fs.Sub(staticFS, "static")
	s.public("GET /static/", http.StripPrefix("/static/", cacheStatic(http.FileServerFS(static))).ServeHTTP)

	s.handle("POST /logout", everyone, s.logout)
	s.handle("GET /account", everyone, s.account) // her own password: account.go
	s.handle("POST /account/password", everyone, s.accountPassword)
	s.handle("GET /today", everyone, s.today)

	s.handle("GET /members", everyone, s.memberList)
	s.handle("GET /members/new", doorStaff, s.memberNew)
	s.handle("POST /members", doorStaff, s.memberCreate)
	s.handle("GET /members/import", doorStaff, s.importPage)
	s.handle("POST /members/import", doorStaff, s.importMembers)
	s.handle("GET /members/{id}", everyone, s.memberShow)
	s.handle("GET /members/{id}/edit", doorStaff, s.memberEdit)
	s.handle("POST /members/{id}", doorStaff, s.memberUpdate)
	s.handle("POST /members/{id}/status", doorStaff, s.memberStatus)
	s.handle("POST /members/{id}/erase", admins, s.memberErase)
	s.handle("POST /members/{id}/sales", treasurers, s.saleCreate)
	s.handle("GET /members/{id}/sales/confirm", treasurers, s.saleConfirm)
	s.handle("POST /members/{id}/badges", doorStaff, s.badgeIssue)
	s.handle("POST /members/{id}/badges/{badge}/revoke", doorStaff, s.badgeRevoke)
	s.handle("POST /members/{id}/link", doorStaff, s.linkCreate)
	s.handle("POST /members/{id}/link/revoke", doorStaff, s.linkRevoke)
	s.handle("POST /members/{id}/link/email", doorStaff, s.linkEmail)
	s.handle("POST /members/{id}/badges/{badge}/email", doorStaff, s.badgeEmail)
	s.handle("POST /members/{id}/guests", doorStaff, s.memberGuestCreate) // guests.go
	s.handle("GET /members/{id}/guests/{pass}", doorStaff, s.memberGuestPage)
	s.handle("POST /members/{id}/guests/{pass}/mail", doorStaff, s.memberGuestMail)
	s.handle("POST /badges/sheet", doorStaff, s.badgeSheet)
	s.handle("GET /directory", everyone, s.directoryAdmin)
	s.handle("POST /directory/{id}/hidden", doorStaff, s.directoryHide)

	// Events with a capacity (events.go): the bureau (door staff and
	// admins) creates them and marks attendance; every role reads.
	s.handle("GET /events", everyone, s.eventList)
	s.handle("POST /events", doorStaff, s.eventCreate)
	s.handle("GET /events/{id}", everyone, s.eventShow)
	s.handle("GET /events/{id}/edit", doorStaff, s.eventEdit)
	s.handle("POST /events/{id}/edit", doorStaff, s.eventUpdate)
	s.handle("GET /events/{id}/registrations.csv", everyone, s.eventCSV)
	s.handle("POST /events/{id}/registrations/{reg}/attended", doorStaff, s.eventAttended)
	s.handle("POST /events/{id}/registrations/{reg}/cancel", doorStaff, s.eventCancel)
	s.handle("POST /events/{id}/registrations", doorStaff, s.eventRegisterFor)
	s.handle("POST /events/{id}/payment", treasurers, s.eventPayment)
	s.handle("GET /resources", everyone, s.resourceList) // bookings.go
	s.handle("POST /resources", doorStaff, s.resourceCreate)
	s.handle("GET /resources/{id}/edit", doorStaff, s.resourceEdit) // resource_edit.go
	s.handle("POST /resources/{id}/edit", doorStaff, s.resourceUpdate)
	s.handle("POST /resources/{id}/withdraw", doorStaff, s.resourceWithdraw) // resource_withdraw.go
	s.handle("POST /resources/{id}/restore", doorStaff, s.resourceRestore)
	s.handle("POST /resources/{id}/blocks", doorStaff, s.resourceBlock) // blocks.go
	s.handle("POST /resources/book", doorStaff, s.resourceBookFor)      // blocks.go: in a member's name
	s.handle("POST /resources/{id}/blocks/{block}/cancel", doorStaff, s.resourceUnblock)
	// A member's booking, the bureau cancels it (blocks.go).
	s.handle("POST /resources/{id}/bookings/{booking}/cancel", doorStaff, s.resourceBookingCancel)
	s.handle("GET /shown/{id}", doorStaff, s.shown) // one-time views (secret_view.go)
	s.handle("GET /joins", doorStaff, s.joinList)
	s.handle("POST /joins/{id}/accept", doorStaff, s.joinDecide(true))
	s.handle("POST /joins/{id}/refuse", doorStaff, s.joinDecide(false))

	s.handle("GET /products", salesReader, s.productList)
	s.handle("POST /products", treasurers, s.productCreate)
	s.handle("POST /products/{id}/active", treasurers, s.productActive)

	s.handle("GET /sales", salesReader, s.saleList)
	s.handle("GET /sales.csv", salesReader, s.saleCSV)
	s.handle("POST /sales/{id}/refund", treasurers, s.saleRefund)
	s.handle("GET /sales/unpaid", salesReader, s.salesUnpaid)
	s.handle("POST /sales/{id}/paid", treasurers, s.salePaid)
	s.handle("GET /sales/deposit", salesReader, s.salesDeposit)
	s.handle("POST /sales/{id}/cheque", treasurers, s.saleCheque) // a cheque's bank and number, from the slip
	s.handle("GET /register", salesReader, s.register)
	s.handle("GET /register.csv", salesReader, s.registerCSV)
	s.handle("GET /sales/{id}/receipt.pdf", salesReader, s.saleReceipt)
	s.handle("POST /sales/{id}/invoice", treasurers, s.saleInvoice)

	// Billing: HelloAsso payments and Pennylane (billing_setup.go, payment_list.go).
	s.handle("GET /payments", salesReader, s.paymentList)
	s.handle("GET /donations", salesReader, s.donationList) // donations.go
	s.handle("GET /donations.csv", salesReader, s.donationCSV)
	s.handle("POST /donations/receipts", treasurers, s.donationReceipts)
	s.handle("POST /payments/{id}/assign", treasurers, s.paymentAssign)
	s.handle("POST /payments/{id}/register", treasurers, s.paymentRegister) // a paid event's payment
	s.handle("POST /payments/{id}/ignore", treasurers, s.paymentIgnore)
	s.handle("GET /billing", treasurers, s.billingPage)
	s.handle("POST /billing/check/{provider}", treasurers, s.billingCheck)
	s.handle("POST /billing/settings", admins, s.billingSettingsSave) // billing_settings.go
	s.handle("POST /billing/mappings", treasurers, s.mappingCreate)
	s.handle("POST /billing/mappings/{id}/delete", treasurers, s.mappingDelete)

	// Between spaces (settlement.go): the settlement and conventions for
	// the treasurers, each space's Slack channel and sender for admins.
	s.handle("GET /settlement", treasurers, s.settlementPage)
	s.handle("GET /settlement.csv", treasurers, s.settlementCSV)
	s.handle("GET /settlement.pdf", treasurers, s.settlementPDF)
	s.handle("POST /settlement/conventions", treasurers, s.conventionSave)
	s.handle("POST /settlement/invoice", treasurers, s.settlementInvoice) // a space's own Pennylane company invoices another
	s.handle("GET /spaces", admins, s.spaceList)
	s.handle("POST /spaces/{id}/messaging", admins, s.spaceMessaging)
	s.handle("POST /spaces/{id}/name", admins, s.spaceRename)
	s.handle("POST /spaces/{id}/address", admins, s.spaceAddress)
	s.handle("GET /spaces/{id}/books", admins, s.spaceBooksPage) // a space's own books (space_books.go)
	s.handle("POST /spaces/{id}/books", admins, s.spaceBooksSave)
	s.handle("POST /spaces/{id}/books/check/{provider}", admins, s.spaceBooksCheck)

	s.handle("GET /entries", doorReader, s.entryList)
	s.handle("GET /entries.csv", doorReader, s.entryCSV)

	s.handle("GET /kiosks", readers, s.kioskList)
	s.handle("POST /kiosks", admins, s.kioskCreate)
	s.handle("POST /kiosks/{id}", admins, s.kioskUpdate)
	s.handle("POST /kiosks/{id}/disabled", admins, s.kioskDisabled)

	s.handle("GET /settings", admins, s.settingsPage)
	s.handle("POST /settings", admins, s.settingsSave)
	s.handle("POST /settings/email/test", admins, s.emailTest)
	s.handle("POST /settings/users", admins, s.userCreate)
	s.handle("POST /settings/users/{id}", admins, s.userUpdate)
	s.handle("GET /settings/slack", admins, s.slackSettings)
	s.handle("POST /settings/slack", admins, s.slackSave)
	s.handle("POST /settings/slack/test", admins, s.slackTest)
	s.handle("POST /settings/slack/outbox/{id}/retry", admins, s.slackRequeue)

	s.handle("GET /audit", readers, s.auditList)

	// Statistics (stats.go): attendance counts for everyone (no names),
	// sales for the roles that read sales.
	s.handle("GET /stats", everyone, s.stats)
	s.handle("GET /stats/visits-days.csv", everyone, s.statsVisitsCSV(false))
	s.handle("GET /stats/visits-weeks.csv", everyone, s.statsVisitsCSV(true))
	s.handle("GET /stats/members.csv", everyone, s.statsMembersCSV)
	s.handle("GET /stats/guests.csv", everyone, s.statsGuestsCSV)
	s.handle("GET /stats/hours.csv", everyone, s.statsHoursCSV)
	s.handle("GET /stats/sales.csv", salesReader, s.statsSalesCSV)

	s.handle("GET /export", everyone, s.exportPage)
	s.handle("GET /export/members.csv", everyone, s.exportMembers)
	s.handle("GET /export/products.csv", salesReader, s.exportProducts)
	s.handle("GET /export/audit.csv", readers, s.exportAudit)

	// Anything else: the login page without a session, /today for "/",
	// not found otherwise.
	s.mux.HandleFunc("/", s.fallback)
}

func (s *Server) public(pattern string, h http.HandlerFunc) {
	s.routes = append(s.routes, Route{Pattern: pattern, Public: true})
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			release, ok := s.readForm(w, r, maxPublicFormBytes)
			if !ok {
				return
			}
			defer release()
		}
		h(w, r)
	})
}

// handle registers a route for logged-in users with one of the roles.
// In order: a session (else the login page, or 403 for a POST), the role
// (else 403), the anti-forgery token of a POST (else 403).
func (s *Server) handle(pattern string, allowed roleSet, h http.HandlerFunc) {
	s.routes = append(s.routes, Route{Pattern: pattern, roles: allowed})
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		sess, u := s.loadSession(r)
		if u == nil {
			if r.Method == http.MethodGet || r.Method == http.MethodHead {
				s.toLogin(w, r)
				return
			}
			s.refuse(w, r, "error.session")
			return
		}
		r = withUser(r, sess, u)
		if !allowed.can(u) {
			s.refuse(w, r, "error.role")
			return
		}
		if !u.Network() && !spaceRoutes[pattern] {
			s.refuse(w, r, "error.space")
			return
		}
		if r.Method == http.MethodPost {
			release, ok := s.readForm(w, r, maxFormBytes)
			if !ok {
				return
			}
			defer release()
			if !validToken(formToken(r), sess.CSRF) {
				s.log.Warn("admin: anti-forgery token missing or wrong", "path", logPath(r), "user", u.ID)
				s.fail(w, r, http.StatusForbidden, "error.csrf")
				return
			}
		}
		sc, err := s.loadScope(r.Context(), u)
		if err != nil {
			s.failErr(w, r, err)
			return
		}
		r = r.WithContext(context.WithValue(r.Context(), scopeKey{}, sc))
		if !s.checkScope(w, r, pattern, sc) {
			return
		}
		h(w, r)
	})
}

// readForm reads a POST's form, at most limit bytes, once a share of
// Config.Bodies is taken (503 when it is full, 413 over the limit).
// release gives the share back: call it once the request is answered.
func (s *Server) readForm(w http.ResponseWriter, r *http.Request, limit int64) (release func(), ok bool) {
	release = func() {}
	if s.cfg.Bodies != nil {
		// The body, then its parsed values: twice the limit at most.
		n := 2 * limit
		if !s.cfg.Bodies.Reserve(n) {
			s.log.Warn("admin: request refused, too many bodies in flight", "path", logPath(r))
			w.Header().Set("Retry-After", "5")
			s.fail(w, r, http.StatusServiceUnavailable, "error.busy")
			return nil, false
		}
		release = func() { s.cfg.Bodies.Release(n) }
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	// ParseForm first: ParseMultipartForm hides its error behind
	// ErrNotMultipart for a plain form.
	err := r.ParseForm()
	if err == nil {
		err = r.ParseMultipartForm(limit)
	}
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		release()
		s.fail(w, r, http.StatusRequestEntityTooLarge, "error.too_large")
		return nil, false
	}
	return release, true
}

func (s *Server) toLogin(w http.ResponseWriter, r *http.Request) {
	to := "/login"
	if p := r.URL.RequestURI(); p != "/" && safeNext(p) {
		to += "?next=" + url.QueryEscape(p)
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

func (s *Server) fallback(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/api/") || strings.HasPrefix(r.URL.Path, "/hooks/") || r.URL.Path == "/favicon.ico" {
		http.NotFound(w, r) // another handler's space (sync API, webhooks): never a login page
		return
	}
	_, u := s.loadSession(r)
	switch {
	case u == nil:
		http.Redirect(w, r, "/login", http.StatusSeeOther)
	case r.URL.Path == "/":
		http.Redirect(w, r, "/today", http.StatusSeeOther)
	default:
		sess, u := s.loadSession(r)
		s.fail(w, withUser(r, sess, u), http.StatusNotFound, "error.not_found")
	}
}

// safeNext accepts only a path of this site as a place to go back to:
// one leading "/" (never "//", which a browser reads as another host), no
// backslash (read as "/" by browsers), no control character or space
// (browsers strip tabs and newlines, so "/\t/evil.example" would become
// "//evil.example"), and nothing that parses as a scheme or a host.
func safeNext(p string) bool {
	if len(p) > maxNextLength || !pathOnly(p) {
		return false
	}
	u, err := url.Parse(p)
	// The decoded path is checked too: "/%2F%2Fevil.example" or
	// "/%5Cevil.example" are no path of this site either.
	return err == nil && u.Scheme == "" && u.Host == "" && u.User == nil && u.Opaque == "" && pathOnly(u.Path)
}

// pathOnly reports whether p starts with exactly one "/" and holds no
// backslash, whitespace nor control character.
func pathOnly(p string) bool {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") {
		return false
	}
	for _, r := range p {
		if r == '\\' || unicode.IsSpace(r) || unicode.IsControl(r) {
			return false
		}
	}
	return true
}

// logPath is the request's path as the logs show it: the token of a
// link (/m/{token}, /login/reset/{token}, /c/{token}/agenda.ics...) is a
// bearer secret, a member's portal and badge or a bureau account's new
// password, and is never written to the logs.
func logPath(r *http.Request) string {
	p := r.URL.Path
	if t := r.PathValue("token"); t != "" {
		p = strings.ReplaceAll(p, t, "{token}")
	}
	return p
}

// maxNextLength bounds a next parameter (a path of the admin with its query).
const maxNextLength = 2048
