package central

import (
	"crypto/ed25519"
	"time"

	"github.com/badgeuse/badgeuse/shared/badge"
)

// Signed codes (issue 12): the badge on a phone shows a new code every 30
// seconds, signed with central's Ed25519 key, so that the kiosk checks it
// offline with the public key it receives by sync and a screenshot is
// refused a few minutes later. The private key is made once per database
// (the store keeps it; a backup holds it like the rest of the database)
// and is never printed, logged nor sent: kiosks get the public key only.

// PhoneCodeDays is how many days of codes a phone stores ahead: it works
// offline that long after its last visit to the page.
const PhoneCodeDays = 3

// DefaultCodeTolerance is how far a kiosk's clock may be from the phone's
// window (setting kiosk.code_tolerance).
const DefaultCodeTolerance = 90 * time.Second

// CodeKeys gives central's code-signing key.
type CodeKeys interface {
	// SigningKey returns central's private key, made on first use.
	SigningKey() (ed25519.PrivateKey, error)
}

// CanShowCodes returns EINVALID unless b is a valid phone badge: codes
// are made for those only.
func (b *Badge) CanShowCodes() error {
	if b.Kind != BadgePhone {
		return Errorf(EINVALID, "Badge %d is not a phone badge.", b.ID)
	}
	if b.IsRevoked() {
		return Errorf(EINVALID, "Badge %d is revoked.", b.ID)
	}
	return nil
}

// PhoneCodes returns the texts of a phone badge's codes for count windows
// starting with the one that holds from: exactly what the phone shows, one
// window after the other.
func PhoneCodes(key ed25519.PrivateKey, badgeID int64, from time.Time, count int) []string {
	out := make([]string, 0, count)
	w := badge.WindowOf(from)
	for i := 0; i < count; i++ {
		c := badge.SignCode(key, badge.Code{Kind: badge.KindPhone, ID: uint32(badgeID), Window: w + uint32(i)}, "")
		out = append(out, c.Text())
	}
	return out
}
