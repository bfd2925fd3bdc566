package badge_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/badgeuse/badgeuse/shared/badge"
)

// golden is a fixed badge: kiosks and central of different releases must
// agree on it. Change it only with the format.
const (
	goldenSecretHex = "000102030405060708090a0b0c0d0e0f"
	goldenText      = "BG1:100KB0*M0DY0W016C1PN1:Y1"
	goldenHash      = "be45cb2605bf36bebde684841a28f0fd43c69850a3dce5fedba69928ee3a8991"
)

func TestGolden(t *testing.T) {
	var s badge.Secret
	for i := range s {
		s[i] = byte(i)
	}
	if got := s.Text(); got != goldenText {
		t.Fatalf("Text() = %q, want %q", got, goldenText)
	}
	if got := s.Hash().String(); got != goldenHash {
		t.Fatalf("Hash() = %s, want %s", got, goldenHash)
	}
	p, err := badge.Parse(goldenText)
	if err != nil || p != s {
		t.Fatalf("Parse(golden) = %x, %v", p, err)
	}
	h, err := badge.HashText(goldenText)
	if err != nil || h.String() != goldenHash {
		t.Fatalf("HashText = %s, %v", h, err)
	}
}

func TestNewIsRandomAndRoundTrips(t *testing.T) {
	a, err := badge.New()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := badge.New()
	if a == b {
		t.Fatal("two new secrets are equal")
	}
	if len(a.Text()) != badge.TextLen {
		t.Fatalf("len(Text()) = %d, want %d", len(a.Text()), badge.TextLen)
	}
	p, err := badge.Parse(a.Text())
	if err != nil || p != a {
		t.Fatalf("round trip failed: %v", err)
	}
	if strings.Contains(a.String(), a.Text()[4:]) {
		t.Fatal("String() reveals the secret")
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		text string
		want error
	}{
		{"Empty", "", badge.ErrNotBadge},
		{"URL", "https://example.org/BG1:", badge.ErrNotBadge},
		{"LowerPrefix", strings.ToLower(goldenText), badge.ErrNotBadge},
		{"NewerVersion", "BG2:ABCDEF", badge.ErrUnsupported},
		{"BGWithoutVersion", "BGX:1234", badge.ErrNotBadge},
		{"Truncated", goldenText[:len(goldenText)-1], badge.ErrMalformed},
		{"TooLong", goldenText + "0", badge.ErrMalformed},
		{"TrailingNewline", goldenText + "\n", badge.ErrMalformed},
		{"BadCharacter", goldenText[:10] + "#" + goldenText[11:], badge.ErrMalformed},
		{"OutOfRangeGroup", "BG1:" + strings.Repeat(":", 24), badge.ErrMalformed},
		{"PrefixOnly", "BG1:", badge.ErrMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := badge.Parse(tc.text)
			if !errors.Is(err, tc.want) {
				t.Fatalf("Parse(%q) = %v, want %v", tc.text, err, tc.want)
			}
		})
	}
}

func TestParseHash(t *testing.T) {
	h, err := badge.ParseHash(goldenHash)
	if err != nil || h.String() != goldenHash {
		t.Fatalf("ParseHash = %s, %v", h, err)
	}
	for _, bad := range []string{"", "zz", goldenHash[:62] + "zz", goldenHash + "00"} {
		if _, err := badge.ParseHash(bad); err == nil {
			t.Errorf("ParseHash(%q) succeeded", bad)
		}
	}
	var z badge.Hash
	if !z.IsZero() || h.IsZero() {
		t.Fatal("IsZero is wrong")
	}
}

// FuzzParse: any text either parses to a secret whose text is the input, or
// fails with one of the three documented errors. Never a panic.
func FuzzParse(f *testing.F) {
	f.Add(goldenText)
	f.Add("BG1:")
	f.Add("BG2:xx")
	f.Add("https://example.org")
	f.Add("BG1:" + strings.Repeat(":", 24))
	f.Fuzz(func(t *testing.T, text string) {
		s, err := badge.Parse(text)
		if err == nil {
			if s.Text() != text {
				t.Fatalf("Parse(%q) accepted a non-canonical text (%q)", text, s.Text())
			}
			return
		}
		if !errors.Is(err, badge.ErrNotBadge) && !errors.Is(err, badge.ErrUnsupported) && !errors.Is(err, badge.ErrMalformed) {
			t.Fatalf("Parse(%q) = undocumented error %v", text, err)
		}
	})
}

func ExampleSecret_Text() {
	var s badge.Secret // in real use: s, err := badge.New()
	fmt.Println(s.Text())
	// Output: BG1:000000000000000000000000
}
