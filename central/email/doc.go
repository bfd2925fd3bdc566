// Package email sends Badgeuse's e-mails over SMTP: a member's welcome
// (personal link, badge QR attached, how the door works), her personal link
// again, the receipt of each sale (its numbered PDF attached), low balance
// and membership renewal reminders (renewal.go: Renewals), donors' tax
// receipts, a bureau user's password reset, a member's booking the bureau
// cancelled (booking.go), and the admin's test mail. It wraps github.com/wneessen/go-mail, whose types
// never leave this package.
//
// # Mails
//
// Each mail is a plain text part (text/template) with an HTML alternative
// (html/template), in French or English, written in templates/ and
// embedded. Render fills them; the association's name signs every mail.
// The French templates are written with ordinary spaces: their text gets
// French typography's no-break spaces (before « : », « ; », « ? », « ! »
// and inside « guillemets ») when parsed, the data inserted does not.
// Each language quotes one way: the French with « guillemets » and ’, the
// English with typographic “quotes” and ’ (kiosk’s), never straight ones.
// Mails that are not transactional (reminders, low balance) carry a
// List-Unsubscribe header and a link at the bottom.
//
// # Delivery
//
// Every mail is an outbox message (topics email.*, payload Payload),
// enqueued in the transaction of its cause (SaleHook: a sale's receipt).
// Worker.Topics plugs the Handler into central's one outbox loop
// (central/outbox); it sends each mail with the settings of the moment
// (smtp.*, see Settings, which centrald adds to the settings table) and
// the outcome is recorded: sent; given up on a 5xx reply (unknown
// recipient, refused login), the server's answer kept verbatim; retried
// with backoff (30 s doubling to 1 h, given up after MaxAttempts) on a
// 4xx reply or a connection that fails or times out; skipped when e-mail
// is not set up or the member has no address. A send begun completes
// when centrald stops (bounded by the Sender's timeout); none begins
// after.
//
// The outbox key makes a mail exactly-once on our side, and its
// Message-ID is derived from the key. SMTP cannot say whether a mail
// whose answer was lost (the connection cut after the message was
// written) arrived: that one is sent again, at most one duplicate,
// carrying the same Message-ID so that mail programs can fold the two.
package email
