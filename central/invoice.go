package central

import (
	"context"
	"net/url"
	"strings"
	"time"
)

// Invoice is the invoice made for a sale in the accounting tool
// (Pennylane). The sale's InvoiceID is the invoice's ID.
type Invoice struct {
	Sale     int64
	Provider string // "pennylane"
	ID       string // the invoice's id at the provider
	// Number is the invoice's legal number, "" while it is a draft.
	Number string
	// URL is the link to the invoice's PDF, when the provider gives one.
	URL     string
	Status  string // the provider's status: "draft", "upcoming", "paid"...
	Created time.Time
	Updated time.Time
}

// InvoiceService stores the invoices made for sales, and the customers
// made for members at the accounting tool.
type InvoiceService interface {
	// RecordInvoice stores (or updates) a sale's invoice and sets the
	// sale's InvoiceID, in one transaction. Returns ENOTFOUND (no such
	// sale) and ECONFLICT (the sale has another invoice).
	RecordInvoice(ctx context.Context, inv *Invoice) error

	// FindInvoice returns a sale's invoice. Returns ENOTFOUND.
	FindInvoice(ctx context.Context, sale int64) (*Invoice, error)

	// BillingCustomer returns the provider's customer id remembered for
	// a key ("" when none).
	BillingCustomer(ctx context.Context, provider, key string) (string, error)

	// SetBillingCustomer remembers the provider's customer id of a key.
	SetBillingCustomer(ctx context.Context, provider, key, id string) error
}

// Billing settings keys (see the settings table).
const (
	SettingHelloAssoAPIURL        = "helloasso.api_url"
	SettingHelloAssoClientID      = "helloasso.client_id"
	SettingHelloAssoClientSecret  = "helloasso.client_secret"
	SettingHelloAssoSignatureKey  = "helloasso.signature_key"
	SettingHelloAssoCreateMembers = "helloasso.create_members"
	SettingPennylaneAPIURL        = "pennylane.api_url"
	SettingPennylaneToken         = "pennylane.token"
	SettingPennylaneFinalize      = "pennylane.finalize"
	SettingVATRate                = "billing.vat_rate"
	SettingLegalMention           = "billing.legal_mention"
	SettingAssociationName        = "association.name"
	SettingAssociationAddress     = "association.address"
	SettingAssociationSIRET       = "association.siret"

	DefaultHelloAssoAPIURL = "https://api.helloasso.com/v5"
	DefaultPennylaneAPIURL = "https://app.pennylane.com/api/external/v2"
	// DefaultLegalMention is the mention of associations whose services
	// to their members are exempt (CGI art. 261-7-1°); associations under
	// the franchise en base write "TVA non applicable, art. 293 B du CGI".
	DefaultLegalMention = "TVA non applicable, art. 261-7-1° du CGI"
	defaultVATRate      = "exempt"
)

// VAT rates of Pennylane, by code, in basis points (2000 = 20 %).
var vatRates = map[string]int64{"exempt": 0, "FR_200": 2000, "FR_100": 1000, "FR_55": 550, "FR_21": 210}

// HelloAssoSettings are the settings of the HelloAsso integration.
type HelloAssoSettings struct {
	APIURL       string // https://api.helloasso.com/v5
	ClientID     string
	ClientSecret string
	SignatureKey string // "" when HelloAsso gives none: no signature check
	// CreateMembers creates unknown payers as members, suspended until
	// the bureau confirms them.
	CreateMembers bool
}

// Configured reports whether HelloAsso can be called.
func (h HelloAssoSettings) Configured() bool { return h.ClientID != "" && h.ClientSecret != "" }

// HelloAsso returns the settings of the HelloAsso integration.
func (s Settings) HelloAsso() HelloAssoSettings {
	return HelloAssoSettings{
		APIURL:        s.Get(SettingHelloAssoAPIURL),
		ClientID:      s.Get(SettingHelloAssoClientID),
		ClientSecret:  s.Get(SettingHelloAssoClientSecret),
		SignatureKey:  s.Get(SettingHelloAssoSignatureKey),
		CreateMembers: s.Get(SettingHelloAssoCreateMembers) == "true",
	}
}

// PennylaneSettings are the settings of the Pennylane integration.
type PennylaneSettings struct {
	APIURL   string
	Token    string // "" when invoices are not made in Pennylane
	Finalize bool   // finalize invoices (else leave them as drafts)
}

// Configured reports whether sales make invoices in Pennylane.
func (p PennylaneSettings) Configured() bool { return p.Token != "" }

// Pennylane returns the settings of the Pennylane integration.
func (s Settings) Pennylane() PennylaneSettings {
	return PennylaneSettings{
		APIURL:   s.Get(SettingPennylaneAPIURL),
		Token:    s.Get(SettingPennylaneToken),
		Finalize: s.Get(SettingPennylaneFinalize) == "true",
	}
}

// Association is what invoices and receipts say of the seller.
type Association struct {
	Name    string
	Address string
	SIRET   string
	// VATCode is the Pennylane VAT code of sales ("exempt", "FR_200"...)
	// and VATRate its rate in basis points.
	VATCode string
	VATRate int64
	// LegalMention is printed on invoices and receipts when VAT does not
	// apply.
	LegalMention string
}

// Association returns the seller's details (the space's name when the
// association's is not set).
func (s Settings) Association() Association {
	a := Association{
		Name:         s.Get(SettingAssociationName),
		Address:      s.Get(SettingAssociationAddress),
		SIRET:        s.Get(SettingAssociationSIRET),
		VATCode:      s.Get(SettingVATRate),
		LegalMention: s.Get(SettingLegalMention),
	}
	if a.Name == "" {
		a.Name = s.SpaceName()
	}
	rate, ok := vatRates[a.VATCode]
	if !ok {
		a.VATCode, rate = defaultVATRate, 0
	}
	a.VATRate = rate
	return a
}

// SplitVAT splits a price taxes included (cents) at a VAT rate (basis
// points) into its price before tax and its tax, such that net + its tax
// rounded to the cent (as Pennylane computes it from the net) gives back
// gross whenever some net does.
func SplitVAT(gross, rate int64) (net, vat int64) {
	if rate <= 0 {
		return gross, 0
	}
	taxOf := func(n int64) int64 { return (n*rate + 5000) / 10000 } // half up, n >= 0
	guess := (gross*10000 + (10000+rate)/2) / (10000 + rate)
	for _, n := range []int64{guess, guess - 1, guess + 1, guess - 2, guess + 2} {
		if n >= 0 && n+taxOf(n) == gross {
			return n, taxOf(n)
		}
	}
	return guess, gross - guess
}

// Validators of the billing settings.

func validateBool(v string) (string, error) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "true", "yes", "on", "1", "oui":
		return "true", nil
	case "false", "no", "off", "0", "non", "":
		return "false", nil
	}
	return "", Errorf(EINVALID, "want true or false")
}

func validateAPIURL(v string) (string, error) {
	v = strings.TrimRight(strings.TrimSpace(v), "/")
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return "", Errorf(EINVALID, "want an http(s) URL such as https://api.example.com/v5")
	}
	return v, nil
}

func validateVATRate(v string) (string, error) {
	v = strings.TrimSpace(v)
	for code := range vatRates {
		if strings.EqualFold(v, code) {
			return code, nil
		}
	}
	return "", Errorf(EINVALID, "want a Pennylane VAT code: exempt, FR_200, FR_100, FR_55 or FR_21")
}

func validateSIRET(v string) (string, error) {
	v = strings.ReplaceAll(strings.TrimSpace(v), " ", "")
	if v == "" {
		return "", nil
	}
	if len(v) != 14 || strings.Trim(v, "0123456789") != "" {
		return "", Errorf(EINVALID, "want 14 digits (or nothing)")
	}
	return v, nil
}
