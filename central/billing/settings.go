package billing

import (
	"net/url"
	"strings"

	"github.com/badgeuse/badgeuse/central"
)

// Setting keys (exact: `centrald settings set`, the admin and scripts use
// them). The association's name is the domain's (central.Settings
// AssociationName): e-mails say it too.
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

// Settings are the billing settings (HelloAsso, Pennylane, what receipts
// and invoices say), sorted by key; centrald adds them to the settings
// table that the admin and `centrald settings` show. Those with a Books
// group a space may set for its own books (central.Space.Books: a space
// that is a separate association); helloasso.create_members stays the
// network's.
var Settings = []central.Setting{
	{Key: SettingAssociationAddress, Default: "", Books: central.BooksAssociation, Doc: "the association's postal address, printed on receipts"},
	{Key: SettingAssociationSIRET, Default: "", Books: central.BooksAssociation, Validate: validateSIRET, Doc: "the association's SIRET (14 digits), printed on receipts"},
	{Key: SettingLegalMention, Default: DefaultLegalMention, Books: central.BooksAssociation,
		Doc: `VAT mention on invoices and receipts when billing.vat_rate is exempt (or "TVA non applicable, art. 293 B du CGI")`},
	{Key: SettingVATRate, Default: defaultVATRate, Books: central.BooksAssociation, Validate: validateVATRate,
		Doc: "VAT of sales, as a Pennylane code: exempt (no VAT), FR_200 (20 %), FR_100, FR_55, FR_21; prices are taxes included"},
	{Key: SettingHelloAssoAPIURL, Default: DefaultHelloAssoAPIURL, Books: central.BooksHelloAsso, Validate: validateAPIURL,
		Doc: "HelloAsso API base URL; the token URL is /oauth2/token at the same host"},
	{Key: SettingHelloAssoClientID, Default: "", Books: central.BooksHelloAsso, Doc: "HelloAsso API client id (Mon compte > Intégrations et API)"},
	{Key: SettingHelloAssoClientSecret, Default: "", Books: central.BooksHelloAsso, Secret: true, Doc: "HelloAsso API client secret"},
	{Key: SettingHelloAssoCreateMembers, Default: "false", Validate: central.ValidateBool,
		Doc: "create a member, suspended until the bureau confirms her, for a HelloAsso payer no member matches"},
	{Key: SettingHelloAssoSignatureKey, Default: "", Books: central.BooksHelloAsso, Secret: true,
		Doc: "key of the x-ha-signature HMAC of HelloAsso notifications (empty: not checked; orders are read back anyway)"},
	{Key: SettingPennylaneAPIURL, Default: DefaultPennylaneAPIURL, Books: central.BooksPennylane, Validate: validateAPIURL, Doc: "Pennylane API v2 base URL"},
	{Key: SettingPennylaneFinalize, Default: "false", Books: central.BooksPennylane, Validate: central.ValidateBool,
		Doc: "finalize Pennylane invoices (true) or leave them as drafts for the treasurer (false)"},
	{Key: SettingPennylaneToken, Default: "", Books: central.BooksPennylane, Secret: true,
		Doc: "Pennylane company API token (scopes customers:all, customer_invoices:all); empty: no invoices"},
}

// get reads a key with this package's default: the table here is the
// defaults' one source, whatever table the central settings hold.
func get(set central.Settings, key string) string { return set.GetFrom(Settings, key) }

// VAT rates of Pennylane, by code, in basis points (2000 = 20 %).
var vatRates = map[string]int64{"exempt": 0, "FR_200": 2000, "FR_100": 1000, "FR_55": 550, "FR_21": 210}

// HelloAssoConfig is the settings of the HelloAsso integration.
type HelloAssoConfig struct {
	APIURL       string // https://api.helloasso.com/v5
	ClientID     string
	ClientSecret string
	SignatureKey string // "" when HelloAsso gives none: no signature check
	// CreateMembers creates unknown payers as members, suspended until
	// the bureau confirms them.
	CreateMembers bool
}

// Configured reports whether HelloAsso can be called.
func (h HelloAssoConfig) Configured() bool { return h.ClientID != "" && h.ClientSecret != "" }

// HelloAssoFrom returns the settings of the HelloAsso integration.
func HelloAssoFrom(set central.Settings) HelloAssoConfig {
	return HelloAssoConfig{
		APIURL:        get(set, SettingHelloAssoAPIURL),
		ClientID:      get(set, SettingHelloAssoClientID),
		ClientSecret:  get(set, SettingHelloAssoClientSecret),
		SignatureKey:  get(set, SettingHelloAssoSignatureKey),
		CreateMembers: get(set, SettingHelloAssoCreateMembers) == "true",
	}
}

// PennylaneConfig is the settings of the Pennylane integration.
type PennylaneConfig struct {
	APIURL   string
	Token    string // "" when invoices are not made in Pennylane
	Finalize bool   // finalize invoices (else leave them as drafts)
}

// Configured reports whether sales make invoices in Pennylane.
func (p PennylaneConfig) Configured() bool { return p.Token != "" }

// PennylaneFrom returns the settings of the Pennylane integration.
func PennylaneFrom(set central.Settings) PennylaneConfig {
	return PennylaneConfig{
		APIURL:   get(set, SettingPennylaneAPIURL),
		Token:    get(set, SettingPennylaneToken),
		Finalize: get(set, SettingPennylaneFinalize) == "true",
	}
}

// Seller is what invoices and receipts say of the association.
type Seller struct {
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

// SellerFrom returns the seller's details (the space's name when the
// association's is not set).
func SellerFrom(set central.Settings) Seller {
	a := Seller{
		Name:         set.AssociationName(),
		Address:      get(set, SettingAssociationAddress),
		SIRET:        get(set, SettingAssociationSIRET),
		VATCode:      get(set, SettingVATRate),
		LegalMention: get(set, SettingLegalMention),
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

func validateAPIURL(v string) (string, error) {
	v = strings.TrimRight(strings.TrimSpace(v), "/")
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return "", central.Errorf(central.EINVALID, "want an http(s) URL such as https://api.example.com/v5")
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
	return "", central.Errorf(central.EINVALID, "want a Pennylane VAT code: exempt, FR_200, FR_100, FR_55 or FR_21")
}

func validateSIRET(v string) (string, error) {
	v = strings.ReplaceAll(strings.TrimSpace(v), " ", "")
	if v == "" {
		return "", nil
	}
	if len(v) != 14 || strings.Trim(v, "0123456789") != "" {
		return "", central.Errorf(central.EINVALID, "want 14 digits (or nothing)")
	}
	return v, nil
}
