package billing

import (
	"context"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/badgeuse/badgeuse/central"
)

// Tax receipts (reçus fiscaux, issue 11): when the association says it may
// issue them (donations.tax_receipts), each donor gets, for a calendar
// year, one receipt of all her donations kept (central/donation.go), with
// the fields of the CERFA 11580 form (Reçu au titre des dons à certains
// organismes d'intérêt général, articles 200, 238 bis et 978 du code
// général des impôts): the receipt's number; the beneficiary's name,
// address, object and RNA or SIREN number, and the articles it certifies
// the gifts fall under; the donor's name and address; the amount in
// figures and in words; the dates of the payments; the form of the gift
// (déclaration de don manuel), its nature (numéraire) and how it was paid.
// Badgeuse does not decide whether the association may issue them: the
// bureau does, and says so with the setting.
//
// A space that keeps its own books (issue 14, central.Space.Books) is an
// association of its own: the gifts to its own organisation are its
// donations (central.DonationsOf), receipted in its association's name,
// address, RNA, object and articles, and only if it says it may issue
// them. These settings are of its association group (Setting.Books): a
// key it leaves empty takes its default, never the network's value
// (central.Space.Apply), so a space that does not set
// donations.tax_receipts issues none. Its receipts are numbered apart
// (TaxReceipt.Number), so that no number is ever shared by two
// associations.
//
// CERFA 11580: https://www.service-public.fr/associations/vosdroits/R17454

// Setting keys of tax receipts (exact).
const (
	SettingTaxReceipts       = "donations.tax_receipts"
	SettingTaxArticles       = "donations.tax_articles"
	SettingAssociationObject = "association.object"
	SettingAssociationRNA    = "association.rna"
)

// DefaultTaxArticles is the article of the CGI most associations certify:
// gifts of private persons (article 200); companies' (238 bis) too.
const DefaultTaxArticles = "200, 238 bis"

// TaxSettings are the settings of tax receipts, sorted by key; centrald
// adds them to the settings table with Settings.
var TaxSettings = []central.Setting{
	{Key: SettingAssociationObject, Default: "", Books: central.BooksAssociation, Doc: "the association's object (objet), printed on tax receipts"},
	{Key: SettingAssociationRNA, Default: "", Books: central.BooksAssociation, Validate: validateRNA,
		Doc: "the association's RNA number (W and 9 characters: digits, 2A or 2B in Corsica) or SIREN (9 digits), printed on tax receipts"},
	{Key: SettingTaxArticles, Default: DefaultTaxArticles, Books: central.BooksAssociation, Validate: validateArticles,
		Doc: "the articles of the CGI the association certifies its donations fall under: 200, 238 bis, 978, comma-separated"},
	{Key: SettingTaxReceipts, Default: "false", Books: central.BooksAssociation, Validate: central.ValidateBool,
		Doc: "the association may issue tax receipts (reçus fiscaux, CERFA 11580) for donations: the bureau's decision"},
}

// rnaNumber is an RNA number: W, the 3 characters of the prefecture that
// registered the association (digits, but 2A and 2B in Corsica and a
// letter in some overseas departments, as W2A1001234 or W9R2001234), then
// 6 digits. sirenNumber is a SIREN: 9 digits.
var (
	rnaNumber   = regexp.MustCompile(`^W[0-9][0-9A-Z][0-9][0-9]{6}$`)
	sirenNumber = regexp.MustCompile(`^[0-9]{9}$`)
)

func validateRNA(v string) (string, error) {
	v = strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(v), " ", ""))
	if v == "" || rnaNumber.MatchString(v) || sirenNumber.MatchString(v) {
		return v, nil
	}
	return "", central.Errorf(central.EINVALID, "want an RNA number (W and 9 characters, as W751234567 or W2A1234567) or a SIREN (9 digits)")
}

var taxArticles = []string{"200", "238 bis", "978"}

func validateArticles(v string) (string, error) {
	var out []string
	for _, a := range strings.Split(v, ",") {
		a = strings.Join(strings.Fields(a), " ")
		if a == "" {
			continue
		}
		if !slices.Contains(taxArticles, a) || slices.Contains(out, a) {
			return "", central.Errorf(central.EINVALID, "want articles among 200, 238 bis and 978, comma-separated")
		}
		out = append(out, a)
	}
	if len(out) == 0 {
		return "", central.Errorf(central.EINVALID, "want articles among 200, 238 bis and 978, comma-separated")
	}
	return strings.Join(out, ", "), nil
}

// Issuer is the beneficiary of the gifts, as a tax receipt names it.
type Issuer struct {
	Name, Address, Object, RNA string
	Articles                   []string // "200", "238 bis", "978"
	// Space is the space whose own association it is (Space.Books), 0 for
	// the network's: its receipts count the gifts to that association's
	// organisation only (central.Payment.Space).
	Space int64
}

// TaxReceiptsAllowed reports whether the association said it may issue
// tax receipts, and returns its details; missing says which of them are
// not set (a receipt without them is not valid).
func TaxReceiptsAllowed(set central.Settings) (iss Issuer, allowed bool, missing []string) {
	get := func(k string) string { return set.GetFrom(TaxSettings, k) }
	iss = Issuer{Name: set.AssociationName(), Address: get(SettingAssociationAddress), Object: get(SettingAssociationObject),
		RNA: get(SettingAssociationRNA)}
	if a, err := validateArticles(get(SettingTaxArticles)); err == nil {
		iss.Articles = strings.Split(a, ", ")
	}
	for k, v := range map[string]string{SettingAssociationAddress: iss.Address, SettingAssociationObject: iss.Object,
		SettingAssociationRNA: iss.RNA} {
		if v == "" {
			missing = append(missing, k)
		}
	}
	slices.Sort(missing)
	return iss, get(SettingTaxReceipts) == "true", missing
}

// Gift is one payment a tax receipt counts.
type Gift struct {
	Date   time.Time
	Amount int64  // cents
	Means  string // how it was paid, as the form says it
	Ref    string // the payment's id at its source
}

// TaxReceipt is a donor's receipt of a year's gifts.
type TaxReceipt struct {
	// Number is unique and does not change when receipts are made again:
	// the year and the id of the donor's first gift of the year
	// ("2026-9011"); a space's association's are numbered apart, the
	// space's id after the year ("2026-E3-9011"), so that two associations
	// never share a number. A gift refunded or recorded later changes her
	// total: make her receipt again (it keeps its number unless her first
	// gift was refunded).
	Number string
	Year   int
	Issuer Issuer
	Donor  Party
	// DonorKey tells donors apart (central.Payment.DonorKey).
	DonorKey string
	// Member is the member who gave, when one matched (0: none).
	Member int64
	Gifts  []Gift // by date
	Total  int64  // cents
	Issued time.Time
}

// meansOf says how a payment was paid, as the CERFA's "mode de
// versement" does.
func meansOf(p *central.Payment) string {
	if p.Source == central.SourceHelloAsso {
		return "Carte bancaire, prélèvement ou virement (HelloAsso)"
	}
	return "Autre"
}

// TaxReceipts returns the receipts of a year: one per donor of the
// donations kept among payments dated that year in loc that are iss's
// association's (central.DonationsOf iss.Space), by donor name.
func TaxReceipts(payments []*central.Payment, year int, loc *time.Location, iss Issuer, issued time.Time) []*TaxReceipt {
	byDonor := map[string]*TaxReceipt{}
	var out []*TaxReceipt
	sorted := slices.Clone(payments)
	slices.SortStableFunc(sorted, func(a, b *central.Payment) int { return a.Date.Compare(b.Date) })
	for _, p := range sorted {
		if !p.DonationKept() || p.Space != iss.Space || p.Date.In(loc).Year() != year {
			continue
		}
		k := p.DonorKey()
		r := byDonor[k]
		if r == nil {
			number := fmt.Sprintf("%d-%s", year, p.ExternalRef)
			if iss.Space != 0 {
				number = fmt.Sprintf("%d-E%d-%s", year, iss.Space, p.ExternalRef)
			}
			r = &TaxReceipt{Number: number, Year: year, Issuer: iss, DonorKey: k,
				Donor:  Party{Name: p.PayerName, Email: p.PayerEmail, Address: oneLine(p.PayerAddress)},
				Issued: issued}
			byDonor[k] = r
			out = append(out, r)
		}
		if r.Member == 0 {
			r.Member = p.Member
		}
		r.Gifts = append(r.Gifts, Gift{Date: p.Date.In(loc), Amount: p.Amount, Means: meansOf(p), Ref: p.ExternalRef})
		r.Total += p.Amount
	}
	slices.SortStableFunc(out, func(a, b *TaxReceipt) int {
		return strings.Compare(strings.ToLower(a.Donor.Name), strings.ToLower(b.Donor.Name))
	})
	return out
}

// TaxReceipts returns the network's tax receipts of a year (see
// TaxReceipts). Returns EINVALID when the association did not say it may
// issue them (donations.tax_receipts) or its details are missing.
func (b *Books) TaxReceipts(ctx context.Context, year int) ([]*TaxReceipt, error) {
	return b.SpaceTaxReceipts(ctx, 0, year)
}

// SpaceTaxReceipts returns the tax receipts of a year of the association
// of space (0: the network's), in its name (its own books' settings:
// central.Space.Apply). Returns ENOTFOUND for an unknown space, EINVALID
// for a space that keeps no books of its own (its gifts are the
// network's) or no association details of its own, and TaxReceipts'.
func (b *Books) SpaceTaxReceipts(ctx context.Context, space int64, year int) ([]*TaxReceipt, error) {
	set, err := b.Settings.Settings(ctx)
	if err != nil {
		return nil, err
	}
	// A gift's year and dates are on its association's clock: a space
	// with its own books and its own time zone (an association overseas)
	// counts its gifts on its own.
	association, loc := "The association", set.Location()
	if space != 0 {
		sp, err := b.booksSpace(ctx, space)
		if err != nil {
			return nil, err
		}
		loc = sp.Location(set)
		set, association = sp.Apply(set), sp.Apply(set).AssociationName()
	}
	iss, allowed, missing := TaxReceiptsAllowed(set)
	iss.Space = space
	switch {
	case !allowed && space == 0:
		return nil, central.Errorf(central.EINVALID, "The association does not issue tax receipts (setting donations.tax_receipts).")
	case !allowed:
		return nil, central.Errorf(central.EINVALID, "The association %s does not issue tax receipts (its setting donations.tax_receipts).", association)
	case len(missing) > 0 && space == 0:
		return nil, central.Errorf(central.EINVALID, "Tax receipts need the association's details: set %s.", strings.Join(missing, ", "))
	case len(missing) > 0:
		return nil, central.Errorf(central.EINVALID, "Tax receipts need the details of the association %s: set its %s.", association, strings.Join(missing, ", "))
	case b.Payments == nil:
		return nil, central.Errorf(central.EINVALID, "No payments: HelloAsso is not set up.")
	}
	var ps []*central.Payment
	ignored := central.PaymentIgnored
	if ps, _, err = b.Payments.FindPayments(ctx, central.PaymentFilter{Status: &ignored}); err != nil {
		return nil, err
	}
	now := time.Now()
	if b.Now != nil {
		now = b.Now()
	}
	return TaxReceipts(ps, year, loc, iss, now.In(loc)), nil
}

// booksSpace returns a space that keeps its own association's books.
// Returns ENOTFOUND and EINVALID (see SpaceTaxReceipts).
func (b *Books) booksSpace(ctx context.Context, id int64) (*central.Space, error) {
	if b.Spaces == nil {
		return nil, central.Errorf(central.ENOTFOUND, "Space %d not found.", id)
	}
	all, err := b.Spaces.FindSpaces(ctx)
	if err != nil {
		return nil, err
	}
	sp := central.SpaceByID(all, id)
	switch {
	case sp == nil:
		return nil, central.Errorf(central.ENOTFOUND, "Space %d not found.", id)
	case !sp.OwnsBooks():
		return nil, central.Errorf(central.EINVALID, "The space %s keeps no books of its own: its gifts are the network's donations.", sp.Name)
	case !sp.OwnBooks(central.BooksAssociation):
		return nil, central.Errorf(central.EINVALID, "The space %s has no association details of its own (association.*): its tax receipts cannot name the network's association.", sp.Name)
	}
	return sp, nil
}

// TaxReceipt returns the network's receipt of a year of one donor (her
// DonorKey). Returns ENOTFOUND, and TaxReceipts' EINVALID.
func (b *Books) TaxReceipt(ctx context.Context, year int, donor string) (*TaxReceipt, error) {
	return b.SpaceTaxReceipt(ctx, 0, year, donor)
}

// SpaceTaxReceipt returns the receipt of a year of one donor of the
// association of space (0: the network's). Returns ENOTFOUND, and
// SpaceTaxReceipts' EINVALID.
func (b *Books) SpaceTaxReceipt(ctx context.Context, space int64, year int, donor string) (*TaxReceipt, error) {
	rs, err := b.SpaceTaxReceipts(ctx, space, year)
	if err != nil {
		return nil, err
	}
	for _, r := range rs {
		if r.DonorKey == donor {
			return r, nil
		}
	}
	return nil, central.Errorf(central.ENOTFOUND, "No tax receipt of %d for this donor.", year)
}

// WritePDF writes the receipt as a one-page A4 PDF in French, with the
// fields of the CERFA 11580 form.
func (r *TaxReceipt) WritePDF(w io.Writer) error {
	p := &pdfPage{}
	const left, right = 56.0, pageWidth - 56.0
	y := pageHeight - 60.0
	p.text(bold, 13, left, y, "Reçu au titre des dons à certains organismes d’intérêt général")
	y -= 14
	p.text(regular, 9, left, y, "Articles 200, 238 bis et 978 du code général des impôts (modèle CERFA n° 11580)")
	p.textRight(bold, 11, right, y+14, "N° "+r.Number)

	section := func(title string) {
		y -= 26
		p.text(bold, 10.5, left, y, title)
		y -= 5
		p.line(left, y, right, y, 0.5)
	}
	field := func(label, value string) {
		y -= 15
		p.text(bold, 9.5, left, y, label)
		p.text(regular, 9.5, left+125, y, clip(value, 72))
	}
	section("Bénéficiaire des versements")
	field("Nom ou dénomination", r.Issuer.Name)
	field("Adresse", r.Issuer.Address)
	field("Objet", r.Issuer.Object)
	field("N° RNA ou SIREN", r.Issuer.RNA)
	field("Qualité", "Association d’intérêt général")

	section("Donateur")
	field("Nom et prénom", r.Donor.Name)
	field("Adresse", r.Donor.Address)

	section("Dons")
	y -= 15
	p.text(regular, 9.5, left, y, clip("Le bénéficiaire reconnaît avoir reçu au titre des dons et versements ouvrant droit à réduction", 110))
	y -= 12
	p.text(regular, 9.5, left, y, fmt.Sprintf("d’impôt, pour l’année %d, la somme de :", r.Year))
	y -= 18
	p.text(bold, 12, left, y, central.Money(r.Total).French())
	y -= 14
	p.text(regular, 9.5, left, y, clip("Somme en toutes lettres : "+EurosInWords(r.Total), 110))
	y -= 18
	p.text(bold, 9.5, left, y, "Date du versement")
	p.text(bold, 9.5, left+110, y, "Mode de versement")
	p.textRight(bold, 9.5, right, y, "Montant")
	shown := r.Gifts
	const most = 12 // one page; the others are summed up in one line
	if len(shown) > most {
		shown = shown[:most-1]
	}
	for _, g := range shown {
		y -= 13
		p.text(regular, 9.5, left, y, g.Date.Format("02/01/2006"))
		p.text(regular, 9.5, left+110, y, clip(g.Means, 55))
		p.textRight(regular, 9.5, right, y, central.Money(g.Amount).French())
	}
	if rest := r.Gifts[len(shown):]; len(rest) > 0 {
		var sum int64
		for _, g := range rest {
			sum += g.Amount
		}
		y -= 13
		p.text(regular, 9.5, left, y, fmt.Sprintf("%d autres versements, du %s au %s", len(rest),
			rest[0].Date.Format("02/01/2006"), rest[len(rest)-1].Date.Format("02/01/2006")))
		p.textRight(regular, 9.5, right, y, central.Money(sum).French())
	}
	y -= 18
	field("Forme du don", "Déclaration de don manuel")
	field("Nature du don", "Numéraire")

	y -= 26
	p.text(regular, 9.5, left, y, clip("Le bénéficiaire certifie sur l’honneur que les dons et versements qu’il reçoit ouvrent droit à la", 110))
	y -= 12
	arts := make([]string, len(r.Issuer.Articles))
	for i, a := range r.Issuer.Articles {
		arts[i] = "article " + a
	}
	p.text(regular, 9.5, left, y, clip("réduction d’impôt prévue à l’"+strings.Join(arts, ", à l’")+" du code général des impôts.", 110))
	y -= 30
	p.text(regular, 9.5, left, y, "Fait le "+r.Issued.Format("02/01/2006")+", pour "+clip(r.Issuer.Name, 60)+".")
	y -= 13
	p.text(regular, 9.5, left, y, "Signature : le trésorier ou la trésorière")

	p.line(left, 64, right, 64, 0.3)
	p.text(regular, 8, left, 52, clip(r.Issuer.Name+" — reçu fiscal "+r.Number, 110))
	return writePDF(w, p, "Reçu fiscal "+r.Number, r.Issued)
}

// EurosInWords writes an amount in French words, as a tax receipt's
// "somme en toutes lettres": "mille deux cent trente-quatre euros et
// cinquante centimes".
func EurosInWords(cents int64) string {
	if cents < 0 {
		return "moins " + EurosInWords(-cents)
	}
	euros, c := cents/100, cents%100
	var s string
	switch {
	case euros == 1, euros == 0 && c == 0:
		s = numberWords(euros) + " euro"
	case euros >= 1000000 && euros%1000000 == 0:
		s = numberWords(euros) + " d’euros"
	case euros > 0 || c == 0:
		s = numberWords(euros) + " euros"
	}
	switch {
	case c == 0:
		return s
	case euros == 0 && c == 1:
		return "un centime"
	case euros == 0:
		return numberWords(c) + " centimes"
	case c == 1:
		return s + " et un centime"
	}
	return s + " et " + numberWords(c) + " centimes"
}

var frUnits = []string{"zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix", "onze", "douze",
	"treize", "quatorze", "quinze", "seize", "dix-sept", "dix-huit", "dix-neuf"}
var frTens = []string{"", "", "vingt", "trente", "quarante", "cinquante", "soixante", "soixante", "quatre-vingt", "quatre-vingt"}

// numberWords writes n (0 to 999 999 999 999) in French words, in the
// traditional spelling (hyphens below a hundred, "et" in 21…71).
func numberWords(n int64) string {
	if n < 1000 {
		return below1000(int(n))
	}
	var parts []string
	for _, scale := range []struct {
		size      int64
		one, many string
	}{{1000000000, "un milliard", "milliards"}, {1000000, "un million", "millions"}} {
		if q := n / scale.size; q > 0 {
			if q == 1 {
				parts = append(parts, scale.one)
			} else {
				parts = append(parts, numberWords(q)+" "+scale.many)
			}
			n %= scale.size
		}
	}
	if k := n / 1000; k > 0 {
		if k == 1 {
			parts = append(parts, "mille")
		} else {
			// "quatre-vingt mille", "deux cent mille": no s before mille.
			w := below1000(int(k))
			if strings.HasSuffix(w, "cents") || strings.HasSuffix(w, "vingts") {
				w = strings.TrimSuffix(w, "s")
			}
			parts = append(parts, w+" mille")
		}
		n %= 1000
	}
	if n > 0 {
		parts = append(parts, below1000(int(n)))
	}
	return strings.Join(parts, " ")
}

func below1000(n int) string {
	h, r := n/100, n%100
	switch {
	case h == 0:
		return below100(r)
	case h == 1 && r == 0:
		return "cent"
	case h == 1:
		return "cent " + below100(r)
	case r == 0:
		return frUnits[h] + " cents"
	}
	return frUnits[h] + " cent " + below100(r)
}

func below100(n int) string {
	if n < 20 {
		return frUnits[n]
	}
	t, u := n/10, n%10
	if t == 7 || t == 9 {
		u += 10
	}
	switch {
	case u == 0 && t == 8:
		return "quatre-vingts"
	case u == 0:
		return frTens[t]
	case u == 1 && t < 8, u == 11 && t == 7:
		return frTens[t] + " et " + frUnits[u]
	}
	return frTens[t] + "-" + frUnits[u]
}
