package central

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Money is an amount in euro cents. Every amount shown to a person, written
// to a file or read from one goes through it, so that "80,00 €" is written
// and "80,5 €" is read the same way everywhere.
type Money int64

// MaxMoney is the largest amount a person may type: 999 999 999,99 €,
// far above any sale, far below an int64's overflow.
const MaxMoney Money = 999_999_999_99

// nbsp separates thousands and the euro sign in French typography
// ("1 234,50 €"): a line never breaks inside an amount.
const nbsp = "\u00a0"

// French writes the amount the French way, with no-break spaces:
// "1 234,50 €", "-80,00 €".
func (m Money) French() string {
	sign, units, cents := m.parts()
	return sign + group(units, nbsp) + "," + cents + nbsp + "€"
}

// English writes the amount the English way: "€1,234.50", "-€80.00".
func (m Money) English() string {
	sign, units, cents := m.parts()
	return sign + "€" + group(units, ",") + "." + cents
}

// In writes the amount in a language: English for "en", French otherwise.
func (m Money) In(lang string) string {
	if lang == "en" {
		return m.English()
	}
	return m.French()
}

// Short writes the amount for a chat message: whole euros without
// decimals ("90 €", "12,50 €"), no thousands separator, a plain space.
func (m Money) Short() string {
	sign, units, cents := m.parts()
	if cents == "00" {
		return sign + units + " €"
	}
	return sign + units + "," + cents + " €"
}

// Decimal writes the amount as a plain decimal number with a point and two
// decimals ("1234.50", "-12.34"): what machines read (Pennylane, raw
// CSV exports).
func (m Money) Decimal() string {
	sign, units, cents := m.parts()
	return sign + units + "." + cents
}

// DecimalComma writes the amount as a plain decimal number with a comma
// ("1234,50", "-12,34"): what French spreadsheets read as a number.
func (m Money) DecimalComma() string {
	sign, units, cents := m.parts()
	return sign + units + "," + cents
}

// parts splits the amount into its sign ("" or "-"), whole euros and two
// digits of cents.
func (m Money) parts() (sign, units, cents string) {
	u := uint64(m) // two's complement: the magnitude of math.MinInt64 too
	if m < 0 {
		sign, u = "-", -u
	}
	return sign, strconv.FormatUint(u/100, 10), strconv.FormatUint(100+u%100, 10)[1:]
}

// group separates the thousands of a number's digits: "1234567" →
// "1 234 567".
func group(digits, sep string) string {
	var b strings.Builder
	for i, c := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(c)
	}
	return b.String()
}

// ParseMoney reads an amount of euros typed by a person or read from a
// file: "80", "80,00", "80.5 €", "80,5€", "€80.50", " 1 234,50 " (spaces,
// no-break or narrow no-break spaces between groups of three digits).
// A comma or a point marks the decimals, at most two. It refuses negative
// amounts, anything that is not a number ("dix euros", "1e3") and amounts
// above MaxMoney, with EINVALID.
func ParseMoney(s string) (Money, error) { return parseMoney(s, false) }

// ParseSignedMoney is ParseMoney accepting a leading minus sign ("-12,50"),
// for amounts that may be negative (a refund's line in the books).
func ParseSignedMoney(s string) (Money, error) { return parseMoney(s, true) }

// spaces are the characters that may surround an amount or separate its
// thousands.
var spaces = strings.NewReplacer(nbsp, " ", "\u202f", " ", "\t", " ")

func parseMoney(s string, signed bool) (Money, error) {
	// An error quotes at most 24 bytes of the input, cut at a character:
	// a message stays short whatever was pasted.
	shown := s
	if len(shown) > 24 {
		cut := 24
		for cut > 0 && !utf8.RuneStart(shown[cut]) {
			cut--
		}
		shown = shown[:cut] + "…"
	}
	bad := func() (Money, error) {
		return 0, Errorf(EINVALID, "%q is not an amount in euros (write it like 80 or 80,50).", shown)
	}
	if len(s) > 64 {
		return bad()
	}
	t := strings.TrimSpace(spaces.Replace(s))
	neg := strings.HasPrefix(t, "-")
	t = strings.TrimSpace(strings.TrimPrefix(t, "-"))
	if c, ok := strings.CutPrefix(t, "€"); ok {
		t = strings.TrimSpace(c)
	} else if c, ok := strings.CutSuffix(t, "€"); ok {
		t = strings.TrimSpace(c)
	}
	sep := strings.IndexAny(t, ",.")
	units, frac := t, ""
	if sep >= 0 {
		units, frac = t[:sep], t[sep+1:]
		if frac == "" || !digitsOnly(frac) {
			return bad()
		}
	}
	// Spaces may separate groups of three digits, and nothing else.
	groups := strings.Split(units, " ")
	for i, g := range groups {
		if g == "" || !digitsOnly(g) || (i > 0 && len(g) != 3) {
			return bad()
		}
	}
	if len(frac) > 2 {
		return 0, Errorf(EINVALID, "%q has more than two decimals: cents are the smallest amount.", shown)
	}
	units = strings.TrimLeft(strings.Join(groups, ""), "0")
	if len(units) > 9 {
		return 0, Errorf(EINVALID, "%q is too large: at most 999 999 999,99 €.", shown)
	}
	for len(frac) < 2 {
		frac += "0"
	}
	n, err := strconv.ParseInt(units+frac, 10, 64)
	if err != nil {
		return bad()
	}
	if neg && n != 0 {
		if !signed {
			return 0, Errorf(EINVALID, "%q is negative: an amount here is zero or more.", shown)
		}
		n = -n
	}
	return Money(n), nil
}

func digitsOnly(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
