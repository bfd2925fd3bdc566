package central_test

import (
	"math"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/badgeuse/badgeuse/central"
)

func TestMoneyFormats(t *testing.T) {
	const sp = "\u00a0"
	for _, tc := range []struct {
		m                               central.Money
		french, english, short, decimal string
	}{
		{0, "0,00" + sp + "€", "€0.00", "0 €", "0.00"},
		{5, "0,05" + sp + "€", "€0.05", "0,05 €", "0.05"},
		{8000, "80,00" + sp + "€", "€80.00", "80 €", "80.00"},
		{12000, "120,00" + sp + "€", "€120.00", "120 €", "120.00"},
		{1250, "12,50" + sp + "€", "€12.50", "12,50 €", "12.50"},
		{123450, "1" + sp + "234,50" + sp + "€", "€1,234.50", "1234,50 €", "1234.50"},
		{100000000, "1" + sp + "000" + sp + "000,00" + sp + "€", "€1,000,000.00", "1000000 €", "1000000.00"},
		{-250, "-2,50" + sp + "€", "-€2.50", "-2,50 €", "-2.50"},
		{-8000, "-80,00" + sp + "€", "-€80.00", "-80 €", "-80.00"},
		{-1234, "-12,34" + sp + "€", "-€12.34", "-12,34 €", "-12.34"},
		{math.MinInt64, "-92" + sp + "233" + sp + "720" + sp + "368" + sp + "547" + sp + "758,08" + sp + "€",
			"-€92,233,720,368,547,758.08", "-92233720368547758,08 €", "-92233720368547758.08"},
	} {
		if got := tc.m.French(); got != tc.french {
			t.Errorf("%d French = %q, want %q", tc.m, got, tc.french)
		}
		if got := tc.m.In("fr"); got != tc.french {
			t.Errorf("%d In(fr) = %q, want %q", tc.m, got, tc.french)
		}
		if got := tc.m.English(); got != tc.english {
			t.Errorf("%d English = %q, want %q", tc.m, got, tc.english)
		}
		if got := tc.m.In("en"); got != tc.english {
			t.Errorf("%d In(en) = %q, want %q", tc.m, got, tc.english)
		}
		if got := tc.m.Short(); got != tc.short {
			t.Errorf("%d Short = %q, want %q", tc.m, got, tc.short)
		}
		if got := tc.m.Decimal(); got != tc.decimal {
			t.Errorf("%d Decimal = %q, want %q", tc.m, got, tc.decimal)
		}
		if got, want := tc.m.DecimalComma(), strings.Replace(tc.decimal, ".", ",", 1); got != want {
			t.Errorf("%d DecimalComma = %q, want %q", tc.m, got, want)
		}
	}
}

func TestParseMoney(t *testing.T) {
	for in, want := range map[string]central.Money{
		"80": 8000, "80,00": 8000, "80.5 €": 8050, "80,5€": 8050, " 1 234,50 ": 123450,
		"1\u00a0234,50\u00a0€": 123450, "1\u202f234,50 €": 123450, "€80.00": 8000, "€ 12": 1200,
		"120.50": 12050, "120,50": 12050, "120,5": 12050, "0": 0, "9,99 €": 999, "007": 700,
		"12.05": 1205, "1 200": 120000, "1 000 000": 100000000, "999999999,99": central.MaxMoney,
		"999 999 999,99 €": central.MaxMoney, "-0": 0, "0,07": 7,
	} {
		got, err := central.ParseMoney(in)
		if err != nil || got != want {
			t.Errorf("ParseMoney(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for in, why := range map[string]string{
		"": "not an amount", "   ": "not an amount", "dix euros": "not an amount", "douze": "not an amount",
		"€": "not an amount", "1e3": "not an amount", "abc": "not an amount", "12.": "not an amount",
		".5": "not an amount", ",50": "not an amount", "12,50,1": "not an amount", "1,234,5": "not an amount",
		"1.2.3": "not an amount", "+5": "not an amount", "--1": "not an amount", "+-1": "not an amount",
		"12 34": "not an amount", "1 2345": "not an amount", "12 €€": "not an amount", "0x10": "not an amount",
		"٣": "not an amount", "1\x00": "not an amount", strings.Repeat("1", 100): "not an amount",
		"1,234": "more than two decimals", "1.234": "more than two decimals", "0,001": "more than two decimals",
		"-5": "negative", "-12,50 €": "negative", "-€80.00": "negative",
		"1000000000": "too large", "9999999999": "too large", "1 000 000 000,00": "too large",
		"99999999999999999999": "too large",
	} {
		got, err := central.ParseMoney(in)
		if err == nil {
			t.Errorf("ParseMoney(%q) = %d, want an error", in, got)
			continue
		}
		if central.ErrorCode(err) != central.EINVALID || !strings.Contains(central.ErrorMessage(err), why) {
			t.Errorf("ParseMoney(%q): %v, want EINVALID saying %q", in, err, why)
		}
	}
}

func TestParseSignedMoney(t *testing.T) {
	for in, want := range map[string]central.Money{"-5": -500, "-12,34": -1234, "12.34": 1234, "-€80.00": -8000,
		"-1 234,50 €": -123450, "0.00": 0, "0.05": 5, "120.00": 12000, "-12.34": -1234, "12,5": 1250} {
		if got, err := central.ParseSignedMoney(in); err != nil || got != want {
			t.Errorf("ParseSignedMoney(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "1.234", "a", "1.2.3", "--1", "+-1", "-", "-1000000000"} {
		if got, err := central.ParseSignedMoney(in); err == nil {
			t.Errorf("ParseSignedMoney(%q) = %d, want an error", in, got)
		}
	}
}

// FuzzParseMoney: whatever is typed, the parser either refuses it with
// EINVALID or returns an amount within bounds that every format of the
// amount reads back to.
func FuzzParseMoney(f *testing.F) {
	for _, s := range []string{"80", "80,00", "80.5 €", "80,5€", " 1 234,50 ", "dix euros", "-5", "1,234",
		"9999999999", "€80.00", "1\u00a0234,50\u00a0€", "007", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := central.ParseMoney(s)
		if err != nil {
			if central.ErrorCode(err) != central.EINVALID {
				t.Fatalf("ParseMoney(%q): %v, want EINVALID", s, err)
			}
			if msg := central.ErrorMessage(err); len(msg) > 200 || !utf8.ValidString(msg) && utf8.ValidString(s) {
				t.Fatalf("ParseMoney(%q): message %q", s, msg)
			}
			return
		}
		if m < 0 || m > central.MaxMoney {
			t.Fatalf("ParseMoney(%q) = %d, out of bounds", s, m)
		}
		formats := []string{m.French(), m.Short(), m.Decimal(), m.DecimalComma()}
		if m < 100000 {
			formats = append(formats, m.English()) // English thousands commas are not read back
		}
		for _, out := range formats {
			if back, err := central.ParseMoney(out); err != nil || back != m {
				t.Fatalf("ParseMoney(%q) = %d, but ParseMoney(%q) = %d, %v", s, m, out, back, err)
			}
		}
		if signed, err := central.ParseSignedMoney(s); err != nil || signed != m {
			t.Fatalf("ParseSignedMoney(%q) = %d, %v; ParseMoney gave %d", s, signed, err, m)
		}
	})
}
