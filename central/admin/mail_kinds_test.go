package admin_test

import (
	"strings"
	"testing"

	"github.com/badgeuse/badgeuse/central/admin"
	"github.com/badgeuse/badgeuse/central/email"
)

// TestMailKindsNamed: a member's page names each of her mails given up
// (member_show.html, "mail.kind." and the kind) in French and English,
// for every kind of mail central sends: an event's or a guest's mail
// refused by her server showed its catalog key.
func TestMailKindsNamed(t *testing.T) {
	catalog := admin.Messages()
	for _, topic := range email.Topics {
		kind := strings.TrimPrefix(topic, email.TopicPrefix)
		m, ok := catalog["mail.kind."+kind]
		if !ok || m[0] == "" || m[1] == "" {
			t.Errorf("no French and English name for the mail kind %q (mail.kind.%s)", kind, kind)
		}
	}
}
