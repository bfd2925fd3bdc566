// Package badge defines the printed member badge: the text held by its QR
// code, how a badge secret is made, parsed and hashed.
//
// A badge is "BG1:" followed by the base45 encoding (RFC 9285) of a 128-bit
// random secret, 28 characters in all. Every character belongs to the QR
// alphanumeric set, so the code stays at version 2 with error correction Q:
// large modules, read from afar and through blur. The secret is not a member
// id: central and kiosks store only its SHA-256 ([Hash]), so a stolen kiosk or
// a database dump cannot be used to print working badges.
package badge

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/badgeuse/badgeuse/shared/base45"
)

// Prefix starts the text of every version 1 badge.
const Prefix = "BG1:"

// SecretSize is the size of a badge secret in bytes (128 bits).
const SecretSize = 16

// TextLen is the length of a badge's text: the prefix and 24 base45 characters.
const TextLen = len(Prefix) + SecretSize/2*3

// Errors returned by Parse. Use errors.Is to test for them.
var (
	// ErrNotBadge means the text is not a Badgeuse badge at all (a URL, the
	// QR code of another application): the kiosk says "not a badge".
	ErrNotBadge = errors.New("not a badge")
	// ErrUnsupported means the text is a badge of a format version this
	// program does not know (for example "BG2:"): a newer badge, an older kiosk.
	ErrUnsupported = errors.New("badge format not supported")
	// ErrMalformed means the text starts like a badge but is damaged or
	// truncated.
	ErrMalformed = errors.New("malformed badge")
)

// Secret is the random value printed in a badge. Keep it out of logs.
type Secret [SecretSize]byte

// Hash is the SHA-256 of a Secret: what central and kiosks store and compare.
type Hash [sha256.Size]byte

// New returns a new random secret from the operating system's CSPRNG.
func New() (Secret, error) {
	var s Secret
	if _, err := rand.Read(s[:]); err != nil {
		return Secret{}, fmt.Errorf("badge: new secret: %w", err)
	}
	return s, nil
}

// Text returns the text to put in the QR code: "BG1:" + base45(secret).
func (s Secret) Text() string { return Prefix + base45.Encode(s[:]) }

// String hides the secret so that it never reaches a log by accident.
func (s Secret) String() string { return "badge.Secret(…)" }

// Hash returns the SHA-256 of the secret.
func (s Secret) Hash() Hash { return sha256.Sum256(s[:]) }

// Parse reads the text of a scanned QR code. It returns ErrNotBadge for text
// that is not a badge, ErrUnsupported for a badge of another format version
// and ErrMalformed (wrapped with the reason) for a damaged badge. The text is
// compared byte for byte: no trimming, no case folding (a QR code in
// alphanumeric mode holds upper case only).
func Parse(text string) (Secret, error) {
	if !strings.HasPrefix(text, Prefix) {
		if isOtherVersion(text) {
			return Secret{}, ErrUnsupported
		}
		return Secret{}, ErrNotBadge
	}
	body := text[len(Prefix):]
	if len(body) != TextLen-len(Prefix) {
		return Secret{}, fmt.Errorf("%w: %d characters after %q, want %d", ErrMalformed, len(body), Prefix, TextLen-len(Prefix))
	}
	raw, err := base45.Decode(body)
	if err != nil {
		return Secret{}, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	var s Secret
	copy(s[:], raw) // len(raw) == SecretSize: 24 base45 characters are 8 groups of 2 bytes.
	return s, nil
}

// isOtherVersion reports whether text looks like "BG<digits>:".
func isOtherVersion(text string) bool {
	rest, ok := strings.CutPrefix(text, "BG")
	if !ok {
		return false
	}
	n := 0
	for n < len(rest) && n < 4 && rest[n] >= '0' && rest[n] <= '9' {
		n++
	}
	return n > 0 && n < len(rest) && rest[n] == ':'
}

// HashText returns the hash of the secret held by a badge text.
func HashText(text string) (Hash, error) {
	s, err := Parse(text)
	if err != nil {
		return Hash{}, err
	}
	return s.Hash(), nil
}

// String returns the hash in lower-case hexadecimal, its form on the wire and
// in databases.
func (h Hash) String() string { return hex.EncodeToString(h[:]) }

// IsZero reports whether h is the zero hash (no badge).
func (h Hash) IsZero() bool { return h == Hash{} }

// ParseHash reads a hash in hexadecimal, as written by Hash.String.
func ParseHash(s string) (Hash, error) {
	var h Hash
	if len(s) != hex.EncodedLen(len(h)) {
		return Hash{}, fmt.Errorf("badge hash: want %d hex digits, got %d", hex.EncodedLen(len(h)), len(s))
	}
	if _, err := hex.Decode(h[:], []byte(s)); err != nil {
		return Hash{}, fmt.Errorf("badge hash: %w", err)
	}
	return h, nil
}

// MarshalText implements encoding.TextMarshaler (hex).
func (h Hash) MarshalText() ([]byte, error) { return []byte(h.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler (hex).
func (h *Hash) UnmarshalText(b []byte) error {
	v, err := ParseHash(string(b))
	if err != nil {
		return err
	}
	*h = v
	return nil
}
