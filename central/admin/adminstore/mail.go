package adminstore

import "time"

// Purposes of a MailToken.
const (
	TokenPasswordReset = "password_reset" // Subject: the admin user; 1 hour, once
	TokenJoin          = "join"           // Data: the join form (JSON); 24 hours, once
	TokenClaim         = "claim"          // Subject: the member, Data: the address claimed; 24 hours, once
	TokenUnsubscribe   = "unsubscribe"    // Subject: the member; reused until she is erased
	// TokenEventCancel: Subject the registration, Data its event; until
	// the event ends, once.
	TokenEventCancel = "event_cancel"
	// TokenCalendar: Subject the member; her personal calendar feed,
	// until she revokes it.
	TokenCalendar = "calendar"
	// TokenMemberLink: Subject the member; 24 hours, once. The lost-link
	// form (/m) mails it instead of a new personal link: pressing its
	// button makes her new link then (revoking the old one), so that a
	// stranger typing her address changes nothing (schema 0270).
	TokenMemberLink = "member_link"
	// TokenEventRegister: Subject the public event, Data the form
	// (JSON: name, e-mail, language); 24 hours, once. The public event
	// form mails it: pressing its button registers her (schema 0280), so
	// that an address typed by anyone registers no one and the places
	// left do not tell whether it was registered already.
	TokenEventRegister = "event_register"
)

// MailToken is the secret of a link sent by e-mail. The token itself is
// never stored: only its SHA-256 (central.HashToken).
type MailToken struct {
	Hash    string
	Purpose string
	Subject int64  // the admin user or the member
	Data    string // what the confirmation needs
	Created time.Time
	Expires time.Time
	Used    time.Time // zero until a one-time token is used
}

// JoinRequest states.
const (
	JoinPending  = "pending"
	JoinAccepted = "accepted"
	JoinRefused  = "refused"
)

// JoinRequest is someone who filled in the public join page and
// confirmed her address, for the bureau to accept (which makes her a
// member) or refuse.
type JoinRequest struct {
	ID      int64
	Name    string
	Email   string
	Phone   string
	Product int64 // what she chose to buy; 0: nothing
	Lang    string
	Created time.Time
	State   string
	Decided time.Time
	Member  int64 // the member made when accepted
}
