package email

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/badgeuse/badgeuse/central"
)

// TopicPrefix starts the topic of every e-mail outbox message.
const TopicPrefix = "email."

// Topic returns the outbox topic of a kind of mail ("email.receipt").
func Topic(kind string) string { return TopicPrefix + kind }

// Topics are the outbox topics of the mails sent through the outbox (the
// test mail is sent at once, not queued).
var Topics = []string{Topic(KindWelcome), Topic(KindLink), Topic(KindLinkRequest), Topic(KindReceipt), Topic(KindLowBalance),
	Topic(KindRenewal), Topic(KindPasswordReset), Topic(KindBadge), Topic(KindJoin), Topic(KindClaim),
	Topic(KindEventRegister),
	Topic(KindEventConfirmed), Topic(KindEventWaitlisted), Topic(KindEventPromoted), Topic(KindEventMoved),
	Topic(KindTaxReceipt),
	Topic(KindGuest), Topic(KindAlert), Topic(KindBookingCancelled)}

// Payload is the JSON payload of an e-mail outbox message: who receives it
// and what the mail needs. The recipient's name and address are read when
// the mail is sent (her address may have changed since).
type Payload struct {
	// Member receives the mail (every kind but password_reset and join).
	Member int64 `json:"member,omitempty"`
	// Email receives a password_reset (a bureau user), a join (someone
	// not yet a member) or a claim (the member's other address, to
	// confirm).
	Email string `json:"email,omitempty"`
	// Name greets the recipient of a join (who is no member yet).
	Name string `json:"name,omitempty"`
	// Lang is "fr" (default) or "en".
	Lang string `json:"lang,omitempty"`
	// Link is the personal link (welcome, link) or a one-time link
	// (password_reset, join, claim, event_register). It is a secret: the outbox purges
	// finished messages.
	Link string `json:"link,omitempty"`
	// BadgePNG is the badge's QR code as a PNG image (welcome, badge; base64 in
	// JSON), drawn by whoever issued the badge: the badge's secret is
	// stored only hashed, so the mail cannot draw it later.
	BadgePNG []byte `json:"badge_png,omitempty"`
	Sale     int64  `json:"sale,omitempty"` // receipt
	Left     int    `json:"left"`           // low_balance: 2, 1 or 0
	Until    string `json:"until,omitempty"`
	DaysLeft int    `json:"days_left"` // renewal: 30 before, 0 on the day
	// BuyURL is where to buy more or renew (low_balance, renewal).
	BuyURL string `json:"buy_url,omitempty"`
	// Unsubscribe is the page that turns reminders off (low_balance,
	// renewal); empty: members reply to ask.
	Unsubscribe string `json:"unsubscribe,omitempty"`
	// Event and Registration name the registration of an event mail; it
	// goes to Member, or to Email (Name) for someone who is not one.
	Event        int64 `json:"event,omitempty"`
	Registration int64 `json:"registration,omitempty"`
	// Again: the address of this registration confirmed the public
	// form's link once more (event_confirmed, event_waitlisted): the mail
	// says she was registered already.
	Again bool `json:"again,omitempty"`
	// Revision is the event's change of hours an event_moved mail tells.
	Revision int `json:"revision,omitempty"`
	// Year and Donor name a donor's tax receipt (tax_receipt, to Email):
	// the receipt is made when the mail is sent.
	Year  int    `json:"year,omitempty"`
	Donor string `json:"donor,omitempty"`
	// Issuer is the space whose own association issues the tax receipt
	// (a space that keeps its own books; 0: the network's): the mail
	// comes from that association and attaches its receipt.
	Issuer int64 `json:"issuer,omitempty"`
	// Host invites the guest (Name, at Email) to Space on Day (guest;
	// the pass's QR in BadgePNG).
	Host  string `json:"host,omitempty"`
	Space string `json:"space,omitempty"`
	Day   string `json:"day,omitempty"` // YYYY-MM-DD
	// Address is the space's and Hours its door's opening hours, in
	// words in the mail's language (guest; optional).
	Address string `json:"address,omitempty"`
	Hours   string `json:"hours,omitempty"`
	// Alert is a kiosk health alert to the bureau's address (alert).
	Alert *Alert `json:"alert,omitempty"`
	// Booking, Resource, Start, End and Zone say the booking the
	// bureau cancelled (booking_cancelled): its id, the resource's name,
	// its times with the offset of the resource's space's clock, and the
	// name of that clock when it is not the network's. Entered is then
	// the resource's space.
	Booking  int64     `json:"booking,omitempty"`
	Resource string    `json:"resource,omitempty"`
	Start    time.Time `json:"start,omitzero"`
	End      time.Time `json:"end,omitzero"`
	Zone     string    `json:"zone,omitempty"`
	// Entered is the key of the space whose visit caused the mail
	// (central.Space.Key: "" for the main space; low_balance): the mail
	// comes from that space's sender name (Space.MailName) when it has
	// one. Absent: a mail no visit caused, from the association.
	Entered *string `json:"entered,omitempty"`
}

// Alert is what a kiosk health alert says: rendered when sent, in the
// mail's language.
type Alert struct {
	What   string    `json:"what"` // "camera", "disk", "silent"
	Kiosk  string    `json:"kiosk"`
	Since  time.Time `json:"since"` // in the space's zone
	Detail string    `json:"detail,omitempty"`
	Free   int64     `json:"free,omitempty"` // bytes free (disk)
}

// Limits of a payload: a badge PNG is a few KiB.
const (
	maxPayload  = 512 << 10
	maxBadgePNG = 256 << 10
	maxURL      = 2048
)

var pngMagic = []byte("\x89PNG\r\n\x1a\n")

// ParsePayload reads and checks the payload of a message of topic. It
// returns the kind of mail, or EINVALID: a message that can never be sent.
func ParsePayload(topic, payload string) (string, Payload, error) {
	var p Payload
	kind, ok := strings.CutPrefix(topic, TopicPrefix)
	if !ok || kind == KindTest || !known(kind) {
		return "", p, central.Errorf(central.EINVALID, "Unknown e-mail topic %q.", topic)
	}
	if len(payload) > maxPayload {
		return "", p, central.Errorf(central.EINVALID, "E-mail payload too long (%d bytes).", len(payload))
	}
	if err := json.Unmarshal([]byte(payload), &p); err != nil {
		return "", p, central.Errorf(central.EINVALID, "E-mail payload: %s.", err)
	}
	return kind, p, p.check(kind)
}

func known(kind string) bool {
	for _, k := range Kinds {
		if k == kind {
			return true
		}
	}
	return false
}

func (p *Payload) check(kind string) error {
	bad := func(format string, args ...any) error {
		// One constant format, so that the admin translates the frame
		// (TestDomainErrorsTranslated); the detail is for the tech volunteer.
		return central.Errorf(central.EINVALID, "E-mail %s: %s", kind, fmt.Sprintf(format, args...))
	}
	if p.toAddress(kind) || kind == KindClaim {
		if err := central.ValidateEmail(p.Email); err != nil {
			return bad("invalid address %q.", p.Email)
		}
	}
	if !p.toAddress(kind) && p.Member <= 0 {
		return bad("no member.")
	}
	if eventKind(kind) && (p.Event <= 0 || p.Registration <= 0) {
		return bad("no registration.")
	}
	if kind == KindEventRegister && p.Event <= 0 {
		return bad("no event.")
	}
	if len(p.Name) > 200 || p.Entered != nil && len(*p.Entered) > 200 {
		return bad("name too long.")
	}
	if p.Lang != "" && p.Lang != French && p.Lang != English {
		return bad("unknown language %q.", p.Lang)
	}
	needLink := kind == KindWelcome || kind == KindLink || kind == KindLinkRequest || kind == KindPasswordReset || kind == KindJoin ||
		kind == KindClaim || kind == KindEventRegister
	if (p.Link != "" || needLink) && !webURL(p.Link) {
		return bad("the link must be an http(s) address.")
	}
	for _, u := range []string{p.BuyURL, p.Unsubscribe} {
		if u != "" && !webURL(u) {
			return bad("links must be http(s) addresses.")
		}
	}
	if len(p.BadgePNG) > maxBadgePNG || len(p.BadgePNG) > 0 && !bytes.HasPrefix(p.BadgePNG, pngMagic) {
		return bad("the badge must be a PNG image under %d KiB.", maxBadgePNG>>10)
	}
	switch kind {
	case KindBadge:
		if len(p.BadgePNG) == 0 {
			return bad("no badge.")
		}
	case KindGuest:
		if len(p.BadgePNG) == 0 || strings.TrimSpace(p.Name) == "" || len(p.Host) > 200 || len(p.Space) > 200 ||
			len(p.Address) > 500 || len(p.Hours) > 1000 {
			return bad("a guest pass needs its QR code, the guest's and the host's names.")
		}
		if _, err := time.Parse(time.DateOnly, p.Day); err != nil {
			return bad("day must be a day (YYYY-MM-DD).")
		}
	case KindAlert:
		if p.Alert == nil || (p.Alert.What != "camera" && p.Alert.What != "disk" && p.Alert.What != "silent") ||
			len(p.Alert.Kiosk) > 200 || len(p.Alert.Detail) > 1000 {
			return bad("an alert says what (camera, disk or silent) of which kiosk.")
		}
	case KindBookingCancelled:
		if p.Booking <= 0 || strings.TrimSpace(p.Resource) == "" || len(p.Resource) > 200 || len(p.Zone) > 100 ||
			p.Start.IsZero() || !p.End.After(p.Start) {
			return bad("a cancelled booking needs its id, its resource and its times.")
		}
	case KindReceipt:
		if p.Sale <= 0 {
			return bad("no sale.")
		}
	case KindTaxReceipt:
		if p.Year < 2000 || p.Year > 2200 || p.Donor == "" || len(p.Donor) > 600 || p.Issuer < 0 {
			return bad("a tax receipt needs a year and a donor.")
		}
	case KindLowBalance:
		if p.Left < 0 || p.Left > 2 {
			return bad("left must be 2, 1 or 0.")
		}
	case KindRenewal:
		if _, err := time.Parse(time.DateOnly, p.Until); err != nil {
			return bad("until must be a day (YYYY-MM-DD).")
		}
		if p.DaysLeft < 0 || p.DaysLeft > 366 {
			return bad("days_left must be from 0 to 366.")
		}
	}
	return nil
}

// toAddress reports whether a mail goes to an address rather than to a
// member: a bureau user's password reset, a newcomer's join, the
// confirmation of an address given on a public event's page, an event
// mail to someone who is not a member, a donor's tax receipt (a donor
// need not be a member), a guest's pass, the bureau's kiosk alerts.
func (p *Payload) toAddress(kind string) bool {
	return kind == KindPasswordReset || kind == KindJoin || kind == KindEventRegister || eventKind(kind) && p.Member == 0 ||
		kind == KindTaxReceipt || kind == KindGuest || kind == KindAlert
}

// Reminder reports whether a kind of mail is not transactional: it carries
// the link that turns reminders off, and is not sent to a member who did.
func Reminder(kind string) bool { return kind == KindLowBalance || kind == KindRenewal }

func webURL(s string) bool {
	if len(s) > maxURL || strings.ContainsAny(s, " \t\r\n<>\"") {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

// NewMessage returns the outbox message of a mail. key names the event
// that causes it, unique for the kind ("sale:42", "member:7:2027-01-31"):
// a second message with the same kind and key is dropped.
// Returns EINVALID.
func NewMessage(kind, key string, p Payload) (central.OutboxMessage, error) {
	b, err := json.Marshal(p)
	if err != nil {
		return central.OutboxMessage{}, err
	}
	topic := Topic(kind)
	if _, _, err := ParsePayload(topic, string(b)); err != nil {
		return central.OutboxMessage{}, err
	}
	return central.OutboxMessage{Topic: topic, Key: topic + ":" + key, Payload: string(b)}, nil
}

// ReceiptMessage is the outbox message that e-mails a sale's receipt to
// its member: one per sale, ever.
func ReceiptMessage(sale, member int64, lang string) central.OutboxMessage {
	b, _ := json.Marshal(Payload{Member: member, Sale: sale, Lang: lang})
	topic := Topic(KindReceipt)
	return central.OutboxMessage{Topic: topic, Key: topic + ":sale:" + strconv.FormatInt(sale, 10), Payload: string(b)}
}

// SaleHook is e-mail's reaction to a new sale (central.SaleMade) and to
// the payment of one recorded not paid yet (central.SalePaid; centrald
// registers it in the store): with e-mail set up, a paid sale of a member
// e-mails her its receipt, once (its key is the sale's); a sale not paid
// yet mails nothing until it is. Whether she has an address is read when
// the mail is sent: without one, the message is skipped.
func SaleHook(s *central.Sale, set central.Settings) []central.OutboxMessage {
	if s.Member == 0 || s.Amount <= 0 || s.PaidBy.Method == central.Unpaid || !ConfigFrom(set).Enabled() {
		return nil
	}
	return []central.OutboxMessage{ReceiptMessage(s.ID, s.Member, "")}
}

// Receipts gives the receipt of a sale. central/billing makes receipts;
// centrald provides this at wiring time (adapters do not import one
// another).
type Receipts interface {
	// Receipt returns a sale's receipt. Returns ENOTFOUND.
	Receipt(ctx context.Context, sale int64) (*Receipt, error)
}

// Receipt is what a receipt mail says and attaches.
type Receipt struct {
	Number  string // "R-000042"
	Product string // what was bought
	Amount  int64  // cents paid
	PDF     []byte
}

// TaxReceipts gives a donor's tax receipt of a year. central/billing
// makes them; centrald provides this at wiring time.
type TaxReceipts interface {
	// TaxReceipt returns the receipt of a year of a donor (her key,
	// central.Payment.DonorKey) of the association of space (0: the
	// network's; else a space that keeps its own books). Returns
	// ENOTFOUND, and EINVALID when the association no longer issues them.
	TaxReceipt(ctx context.Context, space int64, year int, donor string) (*Receipt, error)
}

// Prefs gives a member's mail preferences when her mail is sent.
// centrald provides it (the store keeps them; central/admin's page sets
// them).
type Prefs interface {
	// MailPrefs returns her language ("fr", "en") and whether she turned
	// reminders off.
	MailPrefs(ctx context.Context, member int64) (lang string, remindersOff bool, err error)
	// UnsubscribeURL returns a page where she turns reminders off without
	// logging in, "" when central has no public address to link to.
	UnsubscribeURL(ctx context.Context, member int64) (string, error)
}

// Spaces is what the handler reads of the network's spaces.
type Spaces interface {
	FindSpaces(ctx context.Context) ([]*central.Space, error)
}

// Handler turns e-mail outbox messages into mails and sends them.
type Handler struct {
	Members  central.MemberService
	Receipts Receipts // nil: receipt mails fail
	// TaxReceipts makes donors' tax receipts; nil: tax receipt mails fail.
	TaxReceipts TaxReceipts
	// Prefs gives members' languages and reminder choices; nil: French,
	// reminders sent, no unsubscribe page (members reply to ask).
	Prefs Prefs
	// Events and Links serve the event mails (events.go); without Events
	// they are skipped, without Links they carry no cancellation link.
	Events Events
	Links  EventLinks
	// Tickets draws the tickets attached to the confirmations of people
	// who are not members; nil: none attached.
	Tickets EventTickets
	// Spaces gives the sender name of the space a mail's visit was at
	// (Payload.Entered); nil: every mail comes from the association.
	Spaces Spaces
	// TLSConfig, Timeout and Now are the Sender's (tests set them).
	TLSConfig *tls.Config
	Timeout   time.Duration
	Now       func() time.Time
}

// Result says how a message ended.
type Result struct {
	// Outcome is central.OutcomeSent, OutcomeSkipped or OutcomeFailed;
	// "" means try again later.
	Outcome string
	// Note is the server's answer when sent, why it was skipped, or the
	// error, verbatim.
	Note string
}

// Deliver sends the mail of an outbox message with the settings of the
// moment. The error is an unexpected one (the database): try again.
func (h *Handler) Deliver(ctx context.Context, it *central.OutboxItem, set central.Settings) (Result, error) {
	cfg := ConfigFrom(set)
	if !cfg.Enabled() {
		return Result{central.OutcomeSkipped, "e-mail is not set up (smtp.host and smtp.from)"}, nil
	}
	kind, p, err := ParsePayload(it.Topic, it.Payload)
	if err != nil {
		return Result{central.OutcomeFailed, central.ErrorMessage(err)}, nil
	}
	if set, err = h.fromSpace(ctx, p, set); err != nil {
		return Result{}, err
	}
	if kind == KindTaxReceipt && p.Issuer != 0 {
		if set, err = h.fromIssuer(ctx, p.Issuer, set); err != nil {
			return Result{}, err
		}
	}
	cfg = ConfigFrom(set)
	m, skip, err := h.mail(ctx, kind, p, set)
	if err != nil {
		return Result{}, err
	}
	if skip != "" {
		return Result{central.OutcomeSkipped, skip}, nil
	}
	m.Key = it.Key
	if err := ctx.Err(); err != nil {
		return Result{}, err // stopping: not begun, sent at the next start
	}
	// A send begun completes even if centrald stops meanwhile (bounded by
	// the Sender's timeout): cut in the middle, SMTP could not tell
	// whether the mail arrived, and it would be sent twice.
	answer, err := h.sender(cfg).Send(context.WithoutCancel(ctx), m)
	if se, ok := err.(*SendError); ok {
		if se.Permanent {
			return Result{central.OutcomeFailed, se.Text}, nil
		}
		return Result{Note: se.Text}, nil
	} else if err != nil {
		return Result{}, err
	}
	return Result{central.OutcomeSent, answer}, nil
}

// fromSpace returns the settings of a mail a visit caused (issue 14: a
// member's mails come from the space she entered): the space's sender
// name stands for the association's name, beside smtp.from and in the
// mail. Other mails, and spaces without a name of their own, keep set.
func (h *Handler) fromSpace(ctx context.Context, p Payload, set central.Settings) (central.Settings, error) {
	if p.Entered == nil || h.Spaces == nil {
		return set, nil
	}
	spaces, err := h.Spaces.FindSpaces(ctx)
	if err != nil {
		return nil, err
	}
	sp := central.SpaceByKey(spaces, *p.Entered)
	if sp == nil || sp.MailName == "" {
		return set, nil
	}
	out := make(central.Settings, len(set)+1)
	for k, v := range set {
		out[k] = v
	}
	out[central.SettingAssociationName] = sp.MailName
	return out, nil
}

// fromIssuer returns the settings of a space's association's tax receipt
// mail: its association's name (central.Space.Apply), not the network's,
// beside smtp.from and in the mail.
func (h *Handler) fromIssuer(ctx context.Context, space int64, set central.Settings) (central.Settings, error) {
	if h.Spaces == nil {
		return nil, fmt.Errorf("email: no spaces to name space %d's association", space)
	}
	spaces, err := h.Spaces.FindSpaces(ctx)
	if err != nil {
		return nil, err
	}
	sp := central.SpaceByID(spaces, space)
	if sp == nil {
		return set, nil // its receipt is not found either: skipped
	}
	out := make(central.Settings, len(set)+1)
	for k, v := range set {
		out[k] = v
	}
	out[central.SettingAssociationName] = sp.Apply(set).AssociationName()
	return out, nil
}

func (h *Handler) sender(cfg Config) *Sender {
	return &Sender{Config: cfg, TLSConfig: h.TLSConfig, Timeout: h.Timeout, Now: h.Now}
}

// mail builds the mail of a payload; skip says why none is sent.
func (h *Handler) mail(ctx context.Context, kind string, p Payload, set central.Settings) (*Mail, string, error) {
	association := ConfigFrom(set).Association
	d := Data{Association: association, Link: p.Link, Left: p.Left, BuyURL: p.BuyURL,
		DaysLeft: p.DaysLeft, Unsubscribe: p.Unsubscribe, Reminder: Reminder(kind), Email: p.Email, Name: p.Name}
	m := &Mail{To: p.Email, ToName: p.Name}
	lang := p.Lang
	if !p.toAddress(kind) {
		mem, err := h.Members.FindMemberByID(ctx, p.Member)
		if central.ErrorCode(err) == central.ENOTFOUND {
			return nil, "the member was erased", nil
		} else if err != nil {
			return nil, "", err
		}
		m.ToName, d.Name = mem.Name, mem.Name
		if kind == KindClaim {
			// A claim goes to the address to confirm, maybe someone
			// else's (a partner's): addressed to nobody by name, its
			// text names the member who asks (Data.Name).
			m.ToName = ""
		} else {
			if mem.Email == "" {
				return nil, "the member has no e-mail address", nil
			}
			m.To = mem.Email
		}
		if h.Prefs != nil {
			plang, off, err := h.Prefs.MailPrefs(ctx, mem.ID)
			if err != nil {
				return nil, "", err
			}
			if d.Reminder && off {
				return nil, "the member turned reminders off", nil
			}
			if lang == "" {
				lang = plang
			}
			if d.Reminder && d.Unsubscribe == "" {
				if d.Unsubscribe, err = h.Prefs.UnsubscribeURL(ctx, mem.ID); err != nil {
					return nil, "", err
				}
			}
		}
	}
	m.Reminder, m.Unsubscribe = d.Reminder, d.Unsubscribe
	switch kind {
	case KindWelcome, KindBadge:
		if len(p.BadgePNG) > 0 {
			d.BadgeAttached = true
			m.Attachments = append(m.Attachments, Attachment{Name: "badge.png", ContentType: "image/png", Data: p.BadgePNG})
		}
	case KindReceipt:
		if h.Receipts == nil {
			return nil, "", fmt.Errorf("email: no receipts to attach")
		}
		r, err := h.Receipts.Receipt(ctx, p.Sale)
		if central.ErrorCode(err) == central.ENOTFOUND {
			return nil, "the sale has no receipt", nil
		} else if err != nil {
			return nil, "", err
		}
		d.Receipt, d.Product, d.Amount = r.Number, r.Product, r.Amount
		m.Attachments = append(m.Attachments, Attachment{Name: r.Number + ".pdf", ContentType: "application/pdf", Data: r.PDF})
	case KindRenewal:
		d.Until, _ = time.Parse(time.DateOnly, p.Until) // checked by ParsePayload
	case KindEventRegister:
		if skip, err := h.registerMail(ctx, p, set, &d); skip != "" || err != nil {
			return nil, skip, err
		}
	case KindEventConfirmed, KindEventWaitlisted, KindEventPromoted, KindEventMoved:
		d.Again = p.Again
		skip, ticket, err := h.eventMail(ctx, kind, p, set, &d)
		if skip != "" || err != nil {
			return nil, skip, err
		}
		if ticket != nil {
			m.Attachments = append(m.Attachments, Attachment{Name: "billet.png", ContentType: "image/png", Data: ticket})
		}
	case KindTaxReceipt:
		if h.TaxReceipts == nil {
			return nil, "", fmt.Errorf("email: no tax receipts to attach")
		}
		r, err := h.TaxReceipts.TaxReceipt(ctx, p.Issuer, p.Year, p.Donor)
		switch central.ErrorCode(err) {
		case "":
		case central.ENOTFOUND, central.EINVALID:
			return nil, "no tax receipt: " + central.ErrorMessage(err), nil
		default:
			return nil, "", err
		}
		d.Receipt, d.Amount, d.Year = r.Number, r.Amount, p.Year
		m.Attachments = append(m.Attachments, Attachment{Name: "recu-fiscal-" + r.Number + ".pdf", ContentType: "application/pdf", Data: r.PDF})
	case KindGuest:
		d.Host, d.Space, d.Address, d.Hours = p.Host, p.Space, p.Address, p.Hours
		d.Day, _ = time.Parse(time.DateOnly, p.Day) // checked by ParsePayload
		m.Attachments = append(m.Attachments, Attachment{Name: "invitation.png", ContentType: "image/png", Data: p.BadgePNG})
	case KindBookingCancelled:
		if skip, err := h.bookingMail(ctx, p, &d); skip != "" || err != nil {
			return nil, skip, err
		}
	case KindAlert:
		a := p.Alert
		d.Alert, d.Kiosk, d.Since, d.Detail = a.What, a.Kiosk, a.Since, a.Detail
		if Lang(lang) == English {
			d.Free = central.Bytes(a.Free).English()
		} else {
			d.Free = central.Bytes(a.Free).French()
		}
	}
	r, err := Render(kind, lang, d)
	if err != nil {
		return nil, "", err
	}
	m.Subject, m.Text, m.HTML = r.Subject, r.Text, r.HTML
	return m, "", nil
}

// SendTest sends the test mail to an address at once, with settings set
// (the admin's "send me a test e-mail"), and returns the server's answer:
// its exact text, or the error's.
func (h *Handler) SendTest(ctx context.Context, set central.Settings, to, lang string) (string, error) {
	cfg := ConfigFrom(set)
	r, err := Render(KindTest, lang, Data{Association: cfg.Association})
	if err != nil {
		return "", err
	}
	return h.sender(cfg).Send(ctx, &Mail{To: to, Subject: r.Subject, Text: r.Text, HTML: r.HTML})
}

// LowBalanceHook is e-mail's reaction to a low balance
// (central.LowBalance; centrald registers it): with e-mail set up, a
// member with an address whom Slack does not reach (slackDMs false: no
// bot token, which alone writes to one person; or she opted out of
// Slack) is told of her 2, 1 or 0 entries left by e-mail, once per
// entry. buyURL is where to buy more ("" for none). With a Slack bot
// token set, a member is left to Slack's direct message, even when the
// workspace has no account with her address: the reaction runs in the
// entry's transaction and cannot ask Slack.
func LowBalanceHook(ev central.LowBalance, set central.Settings, slackDMs bool, buyURL string) []central.OutboxMessage {
	m := ev.Member
	if m == nil || m.Email == "" || ev.Entry == nil || ev.Entry.ID == "" || !ConfigFrom(set).Enabled() {
		return nil
	}
	if slackDMs && !m.SlackOptOut {
		return nil
	}
	if !webURL(buyURL) {
		buyURL = ""
	}
	var entered string
	switch {
	case ev.Visit != nil:
		entered = ev.Visit.Space
	case ev.Kiosk != nil:
		entered = ev.Kiosk.Space
	}
	msg, err := NewMessage(KindLowBalance, "entry:"+strings.ToLower(ev.Entry.ID), Payload{Member: m.ID, Left: ev.Left, BuyURL: buyURL,
		Entered: &entered})
	if err != nil {
		return nil
	}
	return []central.OutboxMessage{msg}
}

// TaxReceiptMessage is the outbox message that e-mails a donor (name, at
// email) the network's tax receipt of a year: one per donor and year,
// ever (the key holds a digest of her key, not her address). Returns
// EINVALID.
func TaxReceiptMessage(year int, donor, email, name string) (central.OutboxMessage, error) {
	return SpaceTaxReceiptMessage(0, year, donor, email, name)
}

// SpaceTaxReceiptMessage is TaxReceiptMessage for the association of
// space (0: the network's, the same message): one per donor, year and
// association, ever. A space's key names the space, so that a donor who
// gave to the network and to a space gets both receipts.
func SpaceTaxReceiptMessage(space int64, year int, donor, email, name string) (central.OutboxMessage, error) {
	sum := sha256.Sum256([]byte(donor))
	key := fmt.Sprintf("%d:%x", year, sum[:12])
	if space != 0 {
		key = fmt.Sprintf("space:%d:%s", space, key)
	}
	return NewMessage(KindTaxReceipt, key, Payload{Email: email, Name: name, Year: year, Donor: donor, Issuer: space})
}

// now is the handler's clock (Now, or the system's).
func (h *Handler) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return time.Now()
}
