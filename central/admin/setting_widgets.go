package admin

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/badgeuse/badgeuse/central"
)

// Structured settings: values with a shape of their own are chosen, not
// typed in their stored form. A day of the year is a day and a month
// ("monthday": membership.cutoff, stored MM-DD), a list of products is a
// box per product ("products": join.products, stored "1,3"), a payment
// form per product is an address per product ("forms": join.forms,
// stored "1=https://… 3=https://…"). The stored formats do not change
// (`centrald settings set` and scripts write them); a script may still
// post s.KEY with the stored form. A widget's form says its kind in
// w.KEY, its fields are w.KEY.day, w.KEY.month, w.KEY.id (each ticked
// product) or w.KEY.<id> (a product's address).

// settingChoice is a product in a "products" or "forms" widget.
type settingChoice struct {
	ID       string
	Name     string // "" for an id no product has
	Archived bool   // no longer sold
	On       bool   // products: ticked
	URL      string // forms: the address
	Invalid  bool   // forms: the address refused
}

// monthdayWidget fills the day and month of a "monthday" field from the
// stored MM-DD ("" for none).
func monthdayWidget(f *settingField, v string) {
	f.Day, f.Month = "1", ""
	if m, d, ok := strings.Cut(strings.TrimSpace(v), "-"); ok {
		mi, err1 := strconv.Atoi(m)
		di, err2 := strconv.Atoi(d)
		if err1 == nil && err2 == nil {
			f.Month, f.Day = strconv.Itoa(mi), strconv.Itoa(di)
		}
	}
}

// validMonthDay: the day exists every year (29 February does not).
func validMonthDay(month, day int) bool {
	if month < 1 || month > 12 || day < 1 || day > 31 || (month == 2 && day == 29) {
		return false
	}
	return time.Date(2001, time.Month(month), day, 0, 0, 0, 0, time.UTC).Day() == day
}

// widgetFromForm reads the widget of key from a posted form: the stored
// form of its value, or why it is refused (translated).
func (s *Server) widgetFromForm(ctx context.Context, form url.Values, key, lang string) (text, problem string) {
	p := "w." + key
	switch form.Get(p) {
	case "monthday":
		if form.Get(p+".month") == "" {
			return "", "" // never
		}
		m, err1 := strconv.Atoi(form.Get(p + ".month"))
		d, err2 := strconv.Atoi(form.Get(p + ".day"))
		if err1 != nil || err2 != nil || !validMonthDay(m, d) {
			return "", translate(lang, "settings.error.monthday", settingLabel(lang, key))
		}
		return pad2(m) + "-" + pad2(d), ""
	case "products":
		var ids []string
		for _, v := range form[p+".id"] {
			if id, err := strconv.ParseInt(v, 10, 64); err == nil && id > 0 && !slices.Contains(ids, v) {
				ids = append(ids, v)
			}
		}
		return strings.Join(ids, ","), ""
	case "forms":
		forms := formsFromForm(form, key)
		var parts []string
		for _, c := range forms {
			if c.URL == "" {
				continue
			}
			if !formAddress(c.URL) {
				name := "n° " + c.ID
				if pr := s.productName(ctx, c.ID); pr != "" {
					name = pr
				}
				return "", translate(lang, "settings.error.form_url", settingLabel(lang, key), name)
			}
			parts = append(parts, c.ID+"="+c.URL)
		}
		return strings.Join(parts, " "), ""
	}
	return "", translate(lang, "error.bad_request")
}

func pad2(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// formsFromForm returns the addresses posted for each product (w.KEY.<id>),
// by id.
func formsFromForm(form url.Values, key string) []settingChoice {
	var out []settingChoice
	prefix := "w." + key + "."
	for k, v := range form {
		id, err := strconv.ParseInt(strings.TrimPrefix(k, prefix), 10, 64)
		if !strings.HasPrefix(k, prefix) || err != nil || id <= 0 || len(v) != 1 {
			continue
		}
		out = append(out, settingChoice{ID: strconv.FormatInt(id, 10), URL: strings.TrimSpace(v[0])})
	}
	slices.SortFunc(out, func(a, b settingChoice) int {
		x, _ := strconv.ParseInt(a.ID, 10, 64)
		y, _ := strconv.ParseInt(b.ID, 10, 64)
		return int(x - y)
	})
	return out
}

// formAddress: an https address with a host and no space (what central
// accepts for join.forms).
func formAddress(u string) bool {
	p, err := url.Parse(u)
	return err == nil && p.Scheme == "https" && p.Host != "" && len(u) <= 1000 && !strings.ContainsAny(u, " \t\n")
}

func (s *Server) productName(ctx context.Context, id string) string {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return ""
	}
	if p, err := s.cfg.Products.FindProductByID(ctx, n); err == nil {
		return p.Name
	}
	return ""
}

// keepTypedWidget shows what a refused form posted in a widget.
func keepTypedWidget(r *http.Request, f *settingField) {
	p := "w." + f.Key
	if r.PostForm.Get(p) != f.Kind {
		return
	}
	switch f.Kind {
	case "monthday":
		f.Month, f.Day = r.PostForm.Get(p+".month"), r.PostForm.Get(p+".day")
	case "products":
		f.Value = strings.Join(r.PostForm[p+".id"], ",")
	case "forms":
		f.Typed = formsFromForm(r.PostForm, f.Key)
		f.typedSet = true
	}
}

// fillChoices gives the "products" and "forms" fields a line per product:
// the products on sale, and those the value names (an archived product,
// an id no product has: kept, so that saving the page loses nothing).
func (s *Server) fillChoices(ctx context.Context, groups []settingsGroup, invalid string) error {
	var products []*central.Product
	loaded := false
	for gi := range groups {
		for fi := range groups[gi].Fields {
			f := &groups[gi].Fields[fi]
			if f.Kind != "products" && f.Kind != "forms" {
				continue
			}
			if !loaded {
				var err error
				if products, _, err = s.cfg.Products.FindProducts(ctx, central.ProductFilter{}); err != nil {
					return err
				}
				loaded = true
			}
			f.Choices = productChoices(f, products, f.Key == invalid)
		}
	}
	return nil
}

func productChoices(f *settingField, products []*central.Product, invalid bool) []settingChoice {
	named := map[string]string{} // id → address ("" for a ticked product)
	var order []string
	add := func(id, u string) {
		if _, ok := named[id]; !ok {
			order = append(order, id)
		}
		named[id] = u
	}
	switch {
	case f.Kind == "forms" && f.typedSet:
		for _, c := range f.Typed {
			add(c.ID, c.URL)
		}
	case f.Kind == "forms":
		for _, part := range strings.Fields(f.Value) {
			id, u, _ := strings.Cut(part, "=")
			add(strings.TrimSpace(id), u)
		}
	default:
		for _, id := range strings.Split(f.Value, ",") {
			if id = strings.TrimSpace(id); id != "" {
				add(id, "")
			}
		}
	}
	var out []settingChoice
	seen := map[string]bool{}
	for _, p := range products {
		id := strconv.FormatInt(p.ID, 10)
		u, named := named[id]
		if !p.Active && !(named && (f.Kind == "products" || u != "")) {
			continue
		}
		seen[id] = true
		c := settingChoice{ID: id, Name: p.Name, Archived: !p.Active, On: named, URL: u}
		c.Invalid = invalid && f.Kind == "forms" && u != "" && !formAddress(u)
		out = append(out, c)
	}
	for _, id := range order { // ids no product has
		if !seen[id] && (f.Kind == "products" || named[id] != "") {
			c := settingChoice{ID: id, On: true, URL: named[id]}
			c.Invalid = invalid && f.Kind == "forms" && !formAddress(c.URL)
			out = append(out, c)
		}
	}
	return out
}

var _ = addMessages(map[string][2]string{
	"setting.smtp.tls.starttls":     {"STARTTLS, port 587 (le plus courant)", "STARTTLS, port 587 (the most common)"},
	"setting.smtp.tls.tls":          {"TLS dès la connexion, port 465", "TLS from the start, port 465"},
	"setting.smtp.tls.none":         {"Aucun : seulement un relais sur cette machine", "None: only a relay on this machine"},
	"settings.day":                  {"Jour", "Day"},
	"settings.month":                {"Mois", "Month"},
	"settings.monthday.never":       {"Jamais (pas de bascule)", "Never (no cut-off)"},
	"settings.error.monthday":       {"« %s » : cette date n’existe pas tous les ans ; choisissez-en une autre.", "“%s”: this day does not exist every year; choose another one."},
	"settings.error.form_url":       {"« %s », %s : l’adresse du formulaire doit commencer par https:// (copiez-la depuis la page du formulaire).", "“%s”, %s: the form's address must start with https:// (copy it from the form's page)."},
	"settings.products.none":        {"Aucun produit en vente pour l’instant : créez-les d’abord sur la page Produits.", "No product on sale yet: create them first on the Products page."},
	"settings.product.unknown":      {"Produit n° %s (introuvable)", "Product no. %s (not found)"},
	"settings.product.archived":     {"(plus en vente)", "(no longer sold)"},
	"settings.form_url.help":        {"Vide : pas de formulaire pour ce produit.", "Empty: no form for this product."},
	"settings.form_url.placeholder": {"https://www.helloasso.com/associations/…", "https://www.helloasso.com/associations/…"},
})

// Days31 and Months12 are the choices of a "monthday" field.
func (p *page) Days31() []int   { return seq(31) }
func (p *page) Months12() []int { return seq(12) }

func seq(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i + 1
	}
	return out
}
