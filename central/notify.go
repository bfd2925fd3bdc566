package central

import "context"

// NotifyTest is the outcome of a test message: what the bureau sees after
// pressing "send a test message".
// The service's facts only: the admin says them in the bureau's language.
type NotifyTest struct {
	OK bool
	// Answer is the service's own answer: "ok", "channel_not_found",
	// "invalid_auth", "HTTP 404: no_service"...
	Answer string
	// Code is the error code in Answer ("channel_not_found", "no_service",
	// "network", "timeout"), "" when OK; Status the HTTP status, if any.
	Code   string
	Status int
	// Needed is the permission missing (Code "missing_scope").
	Needed string
	// PostedBy and Team say who posted the test message, and where.
	PostedBy, Team string
	// History is the code of the failure to read the channel's history
	// back (what prevents double posts after an outage), "" when it reads.
	History string
}

// Notifier sends test messages with the current settings (central/slack
// implements it; the admin's Slack page calls it).
type Notifier interface {
	// TestNotify posts a test message to target: "channel", "bureau",
	// "webhook" (the chat's settings of those names) or an e-mail address
	// (a direct message to that user). Failures of the service come back
	// in the result; the error is for EINVALID (an unknown target, a
	// setting missing) and internal failures.
	TestNotify(ctx context.Context, target string) (NotifyTest, error)
}
