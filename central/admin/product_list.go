package admin

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/access"
)

// productForm is the new product form's fields.
type productForm struct {
	Name    string
	Kind    string
	Entries string
	Days    string
	Price   string
	// ErrField ("name", "entries", "days", "price", or "form" for the
	// product as a whole) and ErrText: why it was refused, said next to
	// that field; the form's action (#newp) brings the phone's screen to
	// it.
	ErrField, ErrText string
}

type productListData struct {
	Products []*central.Product
	Form     productForm
	// Space is the user's space, whose products alone she sees and makes
	// (nil for the network).
	Space *central.Space
}

// productList lists products with the form to add one (GET /products).
func (s *Server) productList(w http.ResponseWriter, r *http.Request) {
	s.renderProducts(w, r, http.StatusOK, productForm{Kind: string(access.Pack), Entries: "10"}, "")
}

func (s *Server) renderProducts(w http.ResponseWriter, r *http.Request, status int, f productForm, errText string) {
	ps, err := s.spaceProducts(r)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	p := s.newPage(r, "products.title", productListData{Products: ps, Form: f, Space: requestScope(r).Space})
	p.Error = errText
	s.renderStatus(w, r, status, "product_list", p)
}

// productCreate adds a product (POST /products). Kinds: pack (a 10-entry
// card; a day pass is a pack of 1), subscription, unlimited (staff),
// membership (dues for N days) and membership_year (dues for the calendar
// year). A user of a space makes a product her space sells, valid at her
// space only: opening another space's doors is that space's bureau's
// decision (and its convention's), which only a network user may take for
// it (centrald product add --spaces).
func (s *Server) productCreate(w http.ResponseWriter, r *http.Request) {
	f := productForm{
		Name:    strings.TrimSpace(r.PostFormValue("name")),
		Kind:    r.PostFormValue("kind"),
		Entries: strings.TrimSpace(r.PostFormValue("entries")),
		Days:    strings.TrimSpace(r.PostFormValue("days")),
		Price:   strings.TrimSpace(r.PostFormValue("price")),
	}
	lang := requestLang(r)
	bad := func(field, key string) {
		f.ErrField, f.ErrText = field, translate(lang, key)
		s.renderProducts(w, r, http.StatusBadRequest, f, "")
	}
	p := &central.Product{Name: f.Name, Kind: access.Kind(f.Kind)}
	switch f.Kind {
	case "daypass": // a day pass is a pack of 1, valid 1 day unless said otherwise
		p.Kind, p.Entries = access.Pack, 1
	case "membership_year": // dues for the calendar year: Days 0
		p.Kind, f.Days = access.Membership, ""
	}
	var err error
	if p.Kind == access.Pack && f.Kind != "daypass" {
		if p.Entries, err = strconv.Atoi(f.Entries); err != nil {
			bad("entries", "product.error.entries")
			return
		}
	}
	if f.Days != "" {
		if p.Days, err = strconv.Atoi(f.Days); err != nil {
			bad("days", "product.error.days")
			return
		}
	}
	if p.Kind == access.Membership && f.Kind == string(access.Membership) && p.Days < 1 {
		bad("days", "product.error.membership_days")
		return
	}
	price, err := central.ParseMoney(f.Price)
	if err != nil {
		if _, signed := central.ParseSignedMoney(f.Price); signed == nil {
			bad("price", "product.error.price_negative") // readable, but below zero
			return
		}
		bad("price", "product.error.price")
		return
	}
	p.Price = int64(price)
	if f.Name == "" {
		bad("name", "product.error.name")
		return
	}
	// The form sent twice (a double tap) adds one product.
	s.actOnce(w, r, "/products#main", "product_once", func() string {
		if err := s.cfg.Products.CreateProduct(r.Context(), p); err != nil {
			if central.ErrorCode(err) == central.EINVALID {
				f.ErrField, f.ErrText = "form", errorText(lang, err)
				s.renderProducts(w, r, http.StatusBadRequest, f, "")
				return ""
			}
			s.failErr(w, r, err)
			return ""
		}
		// Two steps: should the second fail, the product is the main
		// space's, which the network sees and she does not: nothing of
		// another space is opened to her, nor hers to another.
		if sc := requestScope(r); !sc.Network() {
			if err := s.cfg.Spaces.SetProductSpaces(r.Context(), p.ID, sc.Space.ID, central.ProductSpaces{}); err != nil {
				s.failErr(w, r, err)
				return ""
			}
		}
		redirect(w, r, "/products#main", "product_created") // its flash, not the form's #newp
		return "/products#main"
	})
}

// productActive stops or resumes selling a product
// (POST /products/{id}/active, active=0|1).
func (s *Server) productActive(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		s.fail(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	if err := s.cfg.Products.SetProductActive(r.Context(), id, r.PostFormValue("active") == "1"); err != nil {
		s.failErr(w, r, err)
		return
	}
	redirect(w, r, "/products", "product_saved")
}

var _ = addMessages(map[string][2]string{
	"product.error.price_negative": {"Le prix ne peut pas être négatif : écrivez 0 pour un produit gratuit.", "The price cannot be negative: write 0 for a free product."},
})
