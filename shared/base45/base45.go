// Package base45 implements the Base45 data encoding of RFC 9285.
//
// Base45 turns bytes into characters of the QR code alphanumeric set
// (0-9, A-Z, space and $%*+-./:), so that a QR code holding the text can use
// the alphanumeric mode: 5.5 bits per character instead of 8, hence a smaller
// code with larger modules, easier to read from a distance or through blur.
package base45

import (
	"errors"
	"fmt"
)

// Alphabet is the RFC 9285 table: the value of a character is its index.
const Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"

// ErrLength is returned when the text length is not valid base45 (length mod 3 == 1).
var ErrLength = errors.New("base45: invalid length")

// CorruptInputError reports an invalid character or an out-of-range group at
// a byte offset of the input.
type CorruptInputError struct {
	Offset int
	Reason string
}

func (e *CorruptInputError) Error() string {
	return fmt.Sprintf("base45: %s at offset %d", e.Reason, e.Offset)
}

var decodeMap = func() (m [256]int8) {
	for i := range m {
		m[i] = -1
	}
	for i := 0; i < len(Alphabet); i++ {
		m[Alphabet[i]] = int8(i)
	}
	return m
}()

// EncodedLen returns the length of the base45 encoding of n bytes.
func EncodedLen(n int) int { return n/2*3 + n%2*2 }

// Encode returns the base45 encoding of src.
func Encode(src []byte) string {
	dst := make([]byte, 0, EncodedLen(len(src)))
	for i := 0; i+1 < len(src); i += 2 {
		n := int(src[i])<<8 | int(src[i+1])
		dst = append(dst, Alphabet[n%45], Alphabet[n/45%45], Alphabet[n/2025])
	}
	if len(src)%2 == 1 {
		n := int(src[len(src)-1])
		dst = append(dst, Alphabet[n%45], Alphabet[n/45])
	}
	return string(dst)
}

// Decode returns the bytes encoded by the base45 text s.
// It rejects characters outside the alphabet (including lower case) and
// groups whose value does not fit, as RFC 9285 section 4.2 requires.
func Decode(s string) ([]byte, error) {
	if len(s)%3 == 1 {
		return nil, ErrLength
	}
	dst := make([]byte, 0, len(s)/3*2+1)
	for i := 0; i < len(s); i += 3 {
		var v [3]int
		k := min(3, len(s)-i)
		for j := 0; j < k; j++ {
			d := decodeMap[s[i+j]]
			if d < 0 {
				return nil, &CorruptInputError{Offset: i + j, Reason: fmt.Sprintf("invalid character %q", s[i+j])}
			}
			v[j] = int(d)
		}
		n := v[0] + v[1]*45 + v[2]*2025
		if k == 3 {
			if n > 0xFFFF {
				return nil, &CorruptInputError{Offset: i, Reason: "group out of range"}
			}
			dst = append(dst, byte(n>>8), byte(n))
		} else {
			if n > 0xFF {
				return nil, &CorruptInputError{Offset: i, Reason: "group out of range"}
			}
			dst = append(dst, byte(n))
		}
	}
	return dst, nil
}
