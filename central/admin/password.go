package admin

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"github.com/badgeuse/badgeuse/central"
)

// Password hashing parameters: argon2id with the OWASP Password Storage
// Cheat Sheet's first configuration (m=19 MiB, t=2, p=1). They are stored
// in each hash, so raising them later keeps old hashes valid.
const (
	argonMemory  = 19 * 1024 // KiB
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
	argonSaltLen = 16
)

// Password length limits (OWASP ASVS V6.2: at least 8, at least 64
// allowed; any characters).
const (
	MinPasswordLength = 8
	MaxPasswordLength = 256
)

// CheckPassword checks a new password's length. It returns EINVALID.
func CheckPassword(pw string) error {
	n := utf8.RuneCountInString(pw)
	if n < MinPasswordLength || len(pw) > MaxPasswordLength {
		return central.Errorf(central.EINVALID, "A password needs %d to %d characters.", MinPasswordLength, MaxPasswordLength)
	}
	return nil
}

// HashPassword returns the argon2id hash of a password in PHC form:
// $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash> (unpadded base64).
func HashPassword(pw string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("password salt: %w", err)
	}
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// dummyHash is the hash a login verifies when the account does not exist
// (login.go checkPassword), so that it takes as long: one per process,
// as centrald makes one Server (the tests make one per test, and a hash
// took 0.2 to 0.4 s under -race on a loaded machine).
var dummyHash = sync.OnceValues(func() (string, error) { return HashPassword("not the password of anyone") })

var errBadHash = errors.New("admin: unreadable password hash")

// VerifyPassword reports whether pw matches a hash made by HashPassword
// (compared in constant time).
func VerifyPassword(phc, pw string) (bool, error) {
	parts := strings.Split(phc, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errBadHash
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, errBadHash
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m == 0 || t == 0 || p == 0 || m > 1<<22 {
		return false, errBadHash
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false, errBadHash
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) == 0 || len(want) > 128 {
		return false, errBadHash
	}
	got := argon2.IDKey([]byte(pw), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}
