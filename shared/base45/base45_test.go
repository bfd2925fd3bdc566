package base45_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/badgeuse/badgeuse/shared/base45"
)

// Test vectors from RFC 9285 sections 4.3 and 4.4.
func TestRFCVectors(t *testing.T) {
	for _, tc := range []struct{ raw, enc string }{
		{"AB", "BB8"},
		{"Hello!!", "%69 VD92EX0"},
		{"base-45", "UJCLQE7W581"},
		{"ietf!", "QED8WEX0"},
		{"", ""},
	} {
		if got := base45.Encode([]byte(tc.raw)); got != tc.enc {
			t.Errorf("Encode(%q) = %q, want %q", tc.raw, got, tc.enc)
		}
		got, err := base45.Decode(tc.enc)
		if err != nil || string(got) != tc.raw {
			t.Errorf("Decode(%q) = %q, %v; want %q", tc.enc, got, err, tc.raw)
		}
	}
}

func TestDecodeErrors(t *testing.T) {
	for _, tc := range []struct {
		name, in string
	}{
		{"Length", "ABCD"},
		{"LowerCase", "bb8"},
		{"OutOfRangeTriple", "GGW"}, // 16 + 16*45 + 32*2025 = 65536
		{"OutOfRangePair", "::"},    // 44 + 44*45 = 2024 > 255
		{"NotInAlphabet", "AB#"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := base45.Decode(tc.in); err == nil {
				t.Fatalf("Decode(%q) succeeded, want error", tc.in)
			}
		})
	}
	if _, err := base45.Decode("A"); !errors.Is(err, base45.ErrLength) {
		t.Fatalf("Decode(A) = %v, want ErrLength", err)
	}
}

func FuzzRoundTrip(f *testing.F) {
	f.Add([]byte("Hello!!"))
	f.Add([]byte{0, 0xff, 0xfe})
	f.Fuzz(func(t *testing.T, b []byte) {
		enc := base45.Encode(b)
		if len(enc) != base45.EncodedLen(len(b)) {
			t.Fatalf("EncodedLen mismatch")
		}
		dec, err := base45.Decode(enc)
		if err != nil || !bytes.Equal(dec, b) {
			t.Fatalf("round trip %x: %x %v", b, dec, err)
		}
	})
}

func FuzzDecode(f *testing.F) {
	f.Add("%69 VD92EX0")
	f.Add("GGW")
	f.Fuzz(func(t *testing.T, s string) {
		b, err := base45.Decode(s)
		if err != nil {
			return
		}
		if got := base45.Encode(b); got != s {
			t.Fatalf("Decode(%q) then Encode = %q: decoding is not canonical", s, got)
		}
	})
}
