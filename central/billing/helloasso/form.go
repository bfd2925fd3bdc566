package helloasso

import (
	"net/url"
	"path"
	"strings"

	"github.com/badgeuse/badgeuse/central"
)

// ParseEventForm reads the public address of an event's HelloAsso form
// that the bureau gives (https://www.helloasso.com/associations/ORG/
// evenements/FORM, the sandbox's too) as central's form reference: the
// form's slug, lower-case, which its orders name (Order.FormSlug). It
// returns EINVALID. cmd/centrald gives it to the admin and the command
// line (central/event_payment.go).
func ParseEventForm(address string) (central.PaymentForm, error) {
	address = strings.TrimSpace(address)
	u, err := url.Parse(address)
	if err != nil || len(address) > 500 || u.Scheme != "https" || u.User != nil || !helloAssoHost(u.Hostname()) {
		return central.PaymentForm{}, central.Errorf(central.EINVALID, "Want the address of the event's HelloAsso form (https://www.helloasso.com/associations/.../evenements/...).")
	}
	form := strings.ToLower(path.Base(strings.TrimSuffix(u.Path, "/")))
	if form == "" || form == "." || form == "/" || len(form) > 200 {
		return central.PaymentForm{}, central.Errorf(central.EINVALID, "Want the address of the event's HelloAsso form (https://www.helloasso.com/associations/.../evenements/...).")
	}
	return central.PaymentForm{Source: central.SourceHelloAsso, Form: form, URL: address}, nil
}

// helloAssoHost reports whether host is HelloAsso's (or its sandbox's), or
// one of their subdomains: a look-alike domain that merely ends with the
// name (evilhelloasso.com) is not, or the page would send members to pay
// elsewhere.
func helloAssoHost(host string) bool {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	for _, domain := range []string{"helloasso.com", "helloasso-sandbox.com"} {
		if host == domain || strings.HasSuffix(host, "."+domain) {
			return true
		}
	}
	return false
}
