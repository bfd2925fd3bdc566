package central

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/badgeuse/badgeuse/shared/version"
)

// EnrollmentTTL is how long a kiosk's one-time enrollment token is valid.
const EnrollmentTTL = 7 * 24 * time.Hour

// Token prefixes, so that a token found somewhere says what it is.
const (
	EnrollTokenPrefix = "bge1_" // one-time enrollment token
	KioskTokenPrefix  = "bgk1_" // a kiosk's bearer token
)

// Kiosk is a door kiosk known to central.
//
// A kiosk is added with a one-time enrollment token (shown once, stored
// hashed, valid EnrollmentTTL); the kiosk trades it once for its own bearer
// token (stored hashed). A kiosk that lost its token (new SD card) is added
// again as a new kiosk: its entry sequence starts over, and (kiosk, seq) is
// what makes pushes idempotent.
type Kiosk struct {
	ID      int64
	Name    string
	Space   string // the space it guards; "" is the main space (setting space.name)
	Created time.Time

	TokenHash     string    // hex SHA-256 of the bearer token; "" until enrolled
	EnrollHash    string    // hex SHA-256 of the enrollment token (kept to recognise reuse)
	EnrollExpires time.Time // after it, the enrollment token is refused
	Enrolled      time.Time // zero until enrolled

	Disabled bool // refused with EFORBIDDEN; the bureau disabled it
	LastSeen time.Time
	// Acked is the highest sequence central holds from this kiosk with
	// every lower one held too.
	Acked    int64
	Pending  int    // entries waiting at the kiosk, as it last said
	Software string // kioskd version, as it last said
}

// Validate checks a kiosk's fields. It returns EINVALID.
func (k *Kiosk) Validate() error {
	k.Name = strings.Join(strings.Fields(k.Name), " ")
	k.Space = strings.TrimSpace(k.Space)
	switch {
	case k.Name == "":
		return Errorf(EINVALID, "Kiosk name required.")
	case len(k.Name) > 100:
		return Errorf(EINVALID, "Kiosk name too long (100 characters at most).")
	case len(k.Space) > 100:
		return Errorf(EINVALID, "Space name too long (100 characters at most).")
	}
	return nil
}

// CanEnroll says whether k's enrollment token may be traded at now for a
// bearer token: EFORBIDDEN when k is disabled, ECONFLICT when the token was
// used already or expired.
func (k *Kiosk) CanEnroll(now time.Time) error {
	switch {
	case k.Disabled:
		return Errorf(EFORBIDDEN, "Kiosk %d is disabled.", k.ID)
	case !k.Enrolled.IsZero():
		return Errorf(ECONFLICT, "This enrollment token was already used: add the kiosk again for a new one.")
	case !now.Before(k.EnrollExpires):
		return Errorf(ECONFLICT, "This enrollment token expired: add the kiosk again for a new one.")
	}
	return nil
}

// CanSync says whether k, authenticated by its token, may sync:
// EFORBIDDEN when the bureau disabled it.
func (k *Kiosk) CanSync() error {
	if k.Disabled {
		return Errorf(EFORBIDDEN, "Kiosk %d is disabled.", k.ID)
	}
	return nil
}

// KioskFilter selects kiosks. Zero fields select everything.
type KioskFilter struct {
	ID     *int64
	Offset int
	Limit  int
}

// KioskSeen is what a kiosk says of itself on each call.
type KioskSeen struct {
	At       time.Time
	Software string // "" keeps the previous value
	Pending  int    // -1 keeps the previous value
}

// KioskService manages kiosks and their credentials.
type KioskService interface {
	// FindKioskByID returns ENOTFOUND if there is no such kiosk.
	FindKioskByID(ctx context.Context, id int64) (*Kiosk, error)

	// FindKiosks returns the matching kiosks ordered by id, and how many
	// match without Offset and Limit.
	FindKiosks(ctx context.Context, filter KioskFilter) ([]*Kiosk, int, error)

	// CreateKiosk adds a kiosk, sets k.ID and returns its one-time
	// enrollment token (the only copy: show it). Returns EINVALID.
	CreateKiosk(ctx context.Context, k *Kiosk) (enrollToken string, err error)

	// Enroll trades an enrollment token for the kiosk's bearer token (the
	// only copy). Returns EUNAUTHORIZED for an unknown token, ECONFLICT for
	// a token already used or expired, EFORBIDDEN for a disabled kiosk.
	Enroll(ctx context.Context, enrollToken, software string) (*Kiosk, string, error)

	// Authenticate returns the kiosk holding a bearer token. Returns
	// EUNAUTHORIZED for an unknown (or replaced) token and EFORBIDDEN for
	// a disabled kiosk.
	Authenticate(ctx context.Context, token string) (*Kiosk, error)

	// SetKioskDisabled disables (or enables again) a kiosk.
	// Returns ENOTFOUND.
	SetKioskDisabled(ctx context.Context, id int64, disabled bool) error

	// KioskSeen records a call from the kiosk (last seen, software,
	// pending entries). Returns ENOTFOUND.
	KioskSeen(ctx context.Context, id int64, seen KioskSeen) error
}

// NewToken returns a new random token of 256 bits with the prefix, and
// its hash (HashToken) to store.
func NewToken(prefix string) (token, hash string, err error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", "", fmt.Errorf("new token: %w", err)
	}
	token = prefix + base64.RawURLEncoding.EncodeToString(b[:])
	return token, HashToken(token), nil
}

// HashToken returns the hex SHA-256 of a token: what central stores and
// looks tokens up by. Tokens carry 256 random bits, so a fast hash is
// enough (no password stretching needed).
func HashToken(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// MinKioskVersion is the oldest kioskd release this central supports: the
// admin asks to update a kiosk that runs an older one. Raise it with a
// change a kiosk must have (and say so in CHANGELOG.md).
const MinKioskVersion = "0.1.0"

// Outdated reports whether the kiosk last said it runs a kioskd release
// older than MinKioskVersion. A development build is never called old.
func (k *Kiosk) Outdated() bool { return version.Older(k.Software, MinKioskVersion) }

// KioskUpdate holds the fields of a kiosk the bureau may change in the
// admin (a rename, its space; KioskService does not have it); nil fields
// stay as they are.
type KioskUpdate struct {
	Name  *string
	Space *string
}
