package admin

import "net/url"

// ParseJoinForm exposes parseJoinForm to the fuzz test of package
// admin_test.
var ParseJoinForm = func(v url.Values, offered []int64) (struct {
	Name, Email, Phone string
	Product            int64
	Consent            bool
}, string, bool) {
	f, key, robot := parseJoinForm(v, offered)
	return struct {
		Name, Email, Phone string
		Product            int64
		Consent            bool
	}{f.Name, f.Email, f.Phone, f.Product, f.Consent}, key, robot
}
