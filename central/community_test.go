package central_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
)

func TestFoldText(t *testing.T) {
	for in, want := range map[string]string{
		"Comptabilité":   "comptabilite",
		"ÉLAGAGE":        "elagage",
		"Œuvre, cœur":    "oeuvre, coeur",
		"Ça déçoit":      "ca decoit",
		"Straße":         "strasse",
		"Ångström Ñandú": "angstrom nandu",
		"l’été":          "l'ete",
		"plain ascii 42": "plain ascii 42",
	} {
		if got := central.FoldText(in); got != want {
			t.Errorf("FoldText(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDirectoryMatches(t *testing.T) {
	e := &central.DirectoryEntry{Name: "Hélène Dupré", Profile: central.Profile{
		Skills: []string{"Comptabilité", "Vidéo"}, About: "Graphiste indépendante"}}
	for q, want := range map[string]bool{
		"":               true,
		"compta":         true,
		"COMPTABILITE":   true,
		"helene":         true,
		"dupre video":    true,
		"graphiste":      true,
		"dupre plombier": false,
		"plomberie":      false,
	} {
		if got := e.Matches(q); got != want {
			t.Errorf("Matches(%q) = %v, want %v", q, got, want)
		}
	}
}

func TestProfileValidate(t *testing.T) {
	long := strings.Repeat("é", central.MaxAboutLength+1)
	tests := []struct {
		name    string
		p       central.Profile
		wantErr bool
		check   func(*central.Profile) bool
	}{
		{"empty is fine", central.Profile{}, false, nil},
		{"about at the bound", central.Profile{About: strings.Repeat("é", central.MaxAboutLength)}, false, nil},
		{"about too long", central.Profile{About: long}, true, nil},
		{"skills trimmed, repeats dropped whatever the accents", central.Profile{Skills: []string{" Compta ", "", "compta", "Vidéo", "video"}}, false,
			func(p *central.Profile) bool { return slices.Equal(p.Skills, []string{"Compta", "Vidéo"}) }},
		{"too many skills", central.Profile{Skills: strings.Split("a,b,c,d,e,f,g,h,i,j,k,l,m", ",")}, true, nil},
		{"skill too long", central.Profile{Skills: []string{strings.Repeat("x", central.MaxSkillLength+1)}}, true, nil},
		{"https link", central.Profile{Link: " https://example.org/moi "}, false,
			func(p *central.Profile) bool { return p.Link == "https://example.org/moi" }},
		{"javascript link", central.Profile{Link: "javascript:alert(1)"}, true, nil},
		{"link without host", central.Profile{Link: "https://"}, true, nil},
		{"link with a user", central.Profile{Link: "https://a@example.org"}, true, nil},
		{"unknown contact", central.Profile{Contact: "fax"}, true, nil},
		{"e-mail contact drops a value", central.Profile{Contact: central.ContactEmail, ContactValue: "x"}, false,
			func(p *central.Profile) bool { return p.ContactValue == "" }},
		{"slack handle gets its @", central.Profile{Contact: central.ContactSlack, ContactValue: "helene"}, false,
			func(p *central.Profile) bool { return p.ContactValue == "@helene" }},
		{"slack handle with a space", central.Profile{Contact: central.ContactSlack, ContactValue: "a b"}, true, nil},
		{"slack handle missing", central.Profile{Contact: central.ContactSlack}, true, nil},
		{"phone", central.Profile{Contact: central.ContactPhone, ContactValue: "+33 6 12 34 56 78"}, false, nil},
		{"phone with letters", central.Profile{Contact: central.ContactPhone, ContactValue: "06 CALL ME"}, true, nil},
		{"phone too short", central.Profile{Contact: central.ContactPhone, ContactValue: "12"}, true, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.p
			err := p.Validate()
			if (err != nil) != tt.wantErr {
				t.Fatalf("Validate() = %v, want error %v", err, tt.wantErr)
			}
			if err != nil && central.ErrorCode(err) != central.EINVALID {
				t.Errorf("code %s, want EINVALID", central.ErrorCode(err))
			}
			if tt.check != nil && !tt.check(&p) {
				t.Errorf("after Validate: %+v", p)
			}
		})
	}
}

func TestParseSkills(t *testing.T) {
	if got := central.ParseSkills("compta, vidéo;PHP\nsoudure"); !slices.Equal(got, []string{"compta", " vidéo", "PHP", "soudure"}) {
		t.Errorf("ParseSkills = %q", got)
	}
}

func TestWhoIsHere(t *testing.T) {
	at := func(h int) time.Time { return time.Date(2026, 11, 26, h, 0, 0, 0, time.UTC) }
	ps := []central.Presence{
		{Member: 1, Name: "Alice", Space: "Atelier", Arrival: at(10), Shown: true},
		{Member: 2, Name: "Bob", Space: "Bureau", Arrival: at(8), Shown: true},
		{Member: 3, Name: "Chloé", Space: "Bureau", Arrival: at(9), Shown: false},
		{Member: 4, Name: "David", Space: "Bureau", Arrival: at(7), Shown: true},
		{Member: 5, Name: "Eve", Space: "Atelier", Arrival: at(9), Shown: false},
		{Member: 6, Name: "Fanny", Space: "Atelier", Arrival: at(11), Shown: false},
	}
	got := central.WhoIsHere(ps, "Bureau")
	if len(got) != 2 || got[0].Space != "Bureau" || got[1].Space != "Atelier" {
		t.Fatalf("spaces %+v: her space first", got)
	}
	names := func(sp central.SpacePresence) (out []string) {
		for _, p := range sp.Shown {
			out = append(out, p.Name)
		}
		return out
	}
	if n := names(got[0]); !slices.Equal(n, []string{"David", "Bob"}) || got[0].Others != 1 {
		t.Errorf("Bureau: %v and %d others, want David, Bob by arrival and 1 other", n, got[0].Others)
	}
	if n := names(got[1]); !slices.Equal(n, []string{"Alice"}) || got[1].Others != 2 {
		t.Errorf("Atelier: %v and %d others", n, got[1].Others)
	}
	if got := central.WhoIsHere(ps, ""); got[0].Space != "Atelier" {
		t.Errorf("without her space, by name: %s first", got[0].Space)
	}
	if got := central.WhoIsHere(nil, ""); len(got) != 0 {
		t.Errorf("nobody: %+v", got)
	}
}
