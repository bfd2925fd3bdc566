package central

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// Joining online (issue 11): a public page where a newcomer gives her
// name and address, consents to the privacy notice and chooses what to
// buy. Her address is confirmed by e-mail before anything is kept; then
// she goes to the product's payment form when there is one (join.forms:
// any https address, in practice a form of the payment provider whose
// orders central reads; she becomes a member, her payment is matched by
// her address), else she waits for the bureau to accept her.

// Setting keys of joining.
const (
	SettingJoinEnabled       = "join.enabled"
	SettingJoinProducts      = "join.products"
	SettingJoinForms         = "join.forms"
	SettingJoinPrivacyNotice = "join.privacy_notice"
)

func init() {
	AddSettings(
		Setting{Key: SettingJoinEnabled, Default: "false", Validate: ValidateBool,
			Doc: "the public join page (/join) is open; it needs e-mail (smtp.*) to confirm addresses"},
		Setting{Key: SettingJoinProducts, Default: "", Validate: validateIDList,
			Doc: "ids of the products offered on the join page, comma-separated (empty: joining only)"},
		Setting{Key: SettingJoinForms, Default: "", Validate: validateForms,
			Doc: "the payment form of each product, as ID=URL separated by spaces (join page, members' 'buy more' link)"},
		Setting{Key: SettingJoinPrivacyNotice, Default: "",
			Doc: "the privacy notice newcomers consent to on the join page (empty: a default text)"},
	)
}

// JoinSettings are the join page's settings.
type JoinSettings struct {
	Enabled  bool
	Products []int64
	// Forms maps a product to its payment form's address.
	Forms         map[int64]string
	PrivacyNotice string
}

// Join returns the join page's settings.
func (s Settings) Join() JoinSettings {
	j := JoinSettings{Enabled: s.Get(SettingJoinEnabled) == "true", PrivacyNotice: s.Get(SettingJoinPrivacyNotice),
		Forms: map[int64]string{}}
	for _, f := range strings.Split(s.Get(SettingJoinProducts), ",") {
		if id, err := strconv.ParseInt(strings.TrimSpace(f), 10, 64); err == nil && id > 0 && !slices.Contains(j.Products, id) {
			j.Products = append(j.Products, id)
		}
	}
	for _, f := range strings.Fields(s.Get(SettingJoinForms)) {
		k, v, _ := strings.Cut(f, "=")
		if id, err := strconv.ParseInt(k, 10, 64); err == nil && id > 0 && formURL(v) {
			j.Forms[id] = v
		}
	}
	return j
}

func validateIDList(v string) (string, error) {
	var ids []string
	for _, f := range strings.Split(v, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if id, err := strconv.ParseInt(f, 10, 64); err != nil || id <= 0 {
			return "", Errorf(EINVALID, "want product ids separated by commas, such as 1,3")
		}
		ids = append(ids, f)
	}
	return strings.Join(ids, ","), nil
}

func validateForms(v string) (string, error) {
	fields := strings.Fields(v)
	for _, f := range fields {
		k, u, _ := strings.Cut(f, "=")
		if id, err := strconv.ParseInt(k, 10, 64); err != nil || id <= 0 || !formURL(u) {
			return "", Errorf(EINVALID, "want ID=URL pairs separated by spaces, such as 1=https://pay.example.org/forms/card-10")
		}
	}
	return strings.Join(fields, " "), nil
}

// formURL reports whether u is an https address of a payment form.
func formURL(u string) bool {
	p, err := url.Parse(u)
	return err == nil && p.Scheme == "https" && p.Host != "" && len(u) <= 1000
}
