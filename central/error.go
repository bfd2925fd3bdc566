package central

import (
	"errors"
	"fmt"
)

// Error codes. They describe what went wrong in terms a caller can act on;
// syncapi and the admin map them to HTTP statuses with HTTPStatus and to
// wire codes, in one table each.
const (
	ECONFLICT     = "conflict"     // the change collides with existing data (duplicate email, token already used)
	EFORBIDDEN    = "forbidden"    // authenticated, but not allowed (disabled kiosk, an admin role without the right)
	EINTERNAL     = "internal"     // a bug or an outside failure (disk, database)
	EINVALID      = "invalid"      // the input is wrong: fix it before retrying
	ENOTFOUND     = "not_found"    // no such object
	EUNAUTHORIZED = "unauthorized" // unknown or revoked credentials
)

// Error is an application error: a code callers branch on and a message for
// people. Errors without a code are internal errors.
type Error struct {
	Code    string
	Message string
	// Format and Args are Errorf's, so that a user interface can
	// translate the message (the admin's catalog is keyed by Format).
	Format string
	Args   []any
}

// Error implements the error interface.
func (e *Error) Error() string {
	return fmt.Sprintf("central error: code=%s message=%s", e.Code, e.Message)
}

// Errorf returns an *Error with the code and a formatted message. An
// *Error among the arguments shows as its message (a validator's reason
// inside "Setting %s: %s.").
func Errorf(code string, format string, args ...any) *Error {
	shown := args // Args keep the *Errors, for translation
	for i, a := range args {
		if e, ok := a.(*Error); ok {
			shown = append([]any(nil), shown...)
			shown[i] = e.Message
		}
	}
	return &Error{Code: code, Message: fmt.Sprintf(format, shown...), Format: format, Args: args}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the message of the first *Error in err's chain, and
// "Internal error." for any other error, so that internal details (SQL,
// paths) never reach a user.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "Internal error."
}

// HTTPStatus returns the HTTP status for an error code: the one table that
// syncapi and the admin share. Statuses are plain numbers so that the domain
// package does not import net/http.
func HTTPStatus(code string) int {
	switch code {
	case "":
		return 200
	case EINVALID:
		return 400
	case EUNAUTHORIZED:
		return 401
	case EFORBIDDEN:
		return 403
	case ENOTFOUND:
		return 404
	case ECONFLICT:
		return 409
	}
	return 500
}
