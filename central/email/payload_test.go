package email_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/email"
)

func TestParsePayload(t *testing.T) {
	for _, c := range []struct {
		name, topic, payload string
		ok                   bool
	}{
		{"receipt", "email.receipt", `{"member":1,"sale":2}`, true},
		{"receipt english", "email.receipt", `{"member":1,"sale":2,"lang":"en"}`, true},
		{"receipt without sale", "email.receipt", `{"member":1}`, false},
		{"no member", "email.link", `{"link":"https://x.example/m/t"}`, false},
		{"link", "email.link", `{"member":1,"link":"https://x.example/m/t"}`, true},
		{"link not web", "email.link", `{"member":1,"link":"javascript:alert(1)"}`, false},
		{"link without host", "email.link", `{"member":1,"link":"https:///m/t"}`, false},
		{"welcome without link", "email.welcome", `{"member":1}`, false},
		{"welcome badge not PNG", "email.welcome", `{"member":1,"link":"https://x.example/m/t","badge_png":"R0lGODlh"}`, false},
		{"unknown language", "email.receipt", `{"member":1,"sale":2,"lang":"de"}`, false},
		{"low balance 3", "email.low_balance", `{"member":1,"left":3}`, false},
		{"low balance 0", "email.low_balance", `{"member":1,"left":0}`, true},
		{"renewal", "email.renewal", `{"member":1,"until":"2027-01-31","days_left":30}`, true},
		{"renewal bad day", "email.renewal", `{"member":1,"until":"31/01/2027","days_left":30}`, false},
		{"reset", "email.password_reset", `{"email":"a@example.org","link":"https://x.example/r/t"}`, true},
		{"reset bad address", "email.password_reset", `{"email":"A <a@example.org>","link":"https://x.example/r/t"}`, false},
		{"buy url not web", "email.low_balance", `{"member":1,"left":1,"buy_url":"ftp://x"}`, false},
		{"test is not queued", "email.test", `{}`, false},
		{"other topic", "slack.arrival", `{"member":1}`, false},
		{"not JSON", "email.receipt", `{"member":`, false},
		{"too long", "email.receipt", `{"member":1,"sale":2,"x":"` + strings.Repeat("a", 600<<10) + `"}`, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := email.ParsePayload(c.topic, c.payload)
			if (err == nil) != c.ok {
				t.Errorf("error %v, want ok=%v", err, c.ok)
			}
			if err != nil && central.ErrorCode(err) != central.EINVALID {
				t.Errorf("code %s, want invalid", central.ErrorCode(err))
			}
		})
	}
}

func TestNewMessage(t *testing.T) {
	msg, err := email.NewMessage(email.KindRenewal, "member:1:2027-01-31:30", email.Payload{Member: 1, Until: "2027-01-31", DaysLeft: 30})
	if err != nil {
		t.Fatal(err)
	}
	if msg.Topic != "email.renewal" || msg.Key != "email.renewal:member:1:2027-01-31:30" {
		t.Errorf("%s %s", msg.Topic, msg.Key)
	}
	if _, err := email.NewMessage(email.KindRenewal, "k", email.Payload{Member: 1}); central.ErrorCode(err) != central.EINVALID {
		t.Errorf("a renewal without its day: %v, want invalid", err)
	}
	r := email.ReceiptMessage(42, 7, "")
	if r.Topic != "email.receipt" || r.Key != "email.receipt:sale:42" {
		t.Errorf("%s %s", r.Topic, r.Key)
	}
	if _, p, err := email.ParsePayload(r.Topic, r.Payload); err != nil || p.Sale != 42 || p.Member != 7 {
		t.Errorf("%+v %v", p, err)
	}
}

// FuzzParsePayload: outbox payloads are read back from the database; any
// bytes give a checked payload or EINVALID, never a panic, and what is
// accepted is within bounds and survives a round trip.
func FuzzParsePayload(f *testing.F) {
	for _, s := range []string{`{"member":1,"sale":2}`, `{"member":1,"link":"https://x.example/m/t","badge_png":"iVBORw0KGgo="}`,
		`{"member":1,"until":"2027-01-31","days_left":30}`, `{"email":"a@example.org","link":"http://x/r"}`, `{"member":1,"left":-1}`, `[]`, `null`,
		`{"member":1,"event":2,"registration":3}`, `{"email":"a@example.org","name":"A","event":2,"registration":3,"lang":"en"}`,
		`{"email":"a@example.org","name":"A","event":2,"link":"https://x.example/e/confirm/t"}`} {
		for _, topic := range email.Topics {
			f.Add(topic, s)
		}
	}
	f.Fuzz(func(t *testing.T, topic, payload string) {
		kind, p, err := email.ParsePayload(topic, payload)
		if err != nil {
			if central.ErrorCode(err) != central.EINVALID {
				t.Fatalf("code %s", central.ErrorCode(err))
			}
			return
		}
		if email.Topic(kind) != topic || len(p.BadgePNG) > 256<<10 || p.Left < 0 || p.Left > 2 {
			t.Fatalf("accepted %s %+v", topic, p)
		}
		eventMail := kind == email.KindEventConfirmed || kind == email.KindEventWaitlisted || kind == email.KindEventPromoted ||
			kind == email.KindEventMoved
		// An event mail goes to the member, or to the address of
		// someone who is not one.
		toAddress := kind == email.KindPasswordReset || kind == email.KindJoin || kind == email.KindEventRegister ||
			eventMail && p.Member == 0
		if eventMail && (p.Event <= 0 || p.Registration <= 0) {
			t.Fatalf("accepted an event mail without its registration: %+v", p)
		}
		if kind == email.KindEventRegister && (p.Event <= 0 || p.Link == "") {
			t.Fatalf("accepted a registration to confirm without its event or link: %+v", p)
		}
		if !toAddress && p.Member <= 0 {
			t.Fatalf("accepted no member: %+v", p)
		}
		if (toAddress || kind == email.KindClaim) && central.ValidateEmail(p.Email) != nil {
			t.Fatalf("accepted no address: %+v", p)
		}
		b, _ := json.Marshal(p)
		if _, _, err := email.ParsePayload(topic, string(b)); err != nil {
			t.Fatalf("round trip of %+v: %v", p, err)
		}
	})
}

func TestSaleHook(t *testing.T) {
	on := central.Settings{email.SettingHost: "smtp.example.org", email.SettingFrom: "bureau@example.org"}
	for _, c := range []struct {
		name string
		sale central.Sale
		set  central.Settings
		want int
	}{
		{"paid sale", central.Sale{ID: 4, Member: 2, Amount: 8000}, on, 1},
		{"free sale", central.Sale{ID: 4, Member: 2, Amount: 0}, on, 0},
		// Not paid yet: no receipt until the money comes (the paid sale
		// above is the same sale once paid, central.SalePaid).
		{"unpaid sale", central.Sale{ID: 4, Member: 2, Amount: 8000, PaidBy: central.PaidBy{Method: central.Unpaid}}, on, 0},
		{"erased member", central.Sale{ID: 4, Member: 0, Amount: 8000}, on, 0},
		{"e-mail not set up", central.Sale{ID: 4, Member: 2, Amount: 8000}, central.Settings{email.SettingHost: "smtp.example.org"}, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := email.SaleHook(&c.sale, c.set)
			if len(got) != c.want {
				t.Fatalf("%d messages, want %d", len(got), c.want)
			}
			if c.want == 1 && got[0] != email.ReceiptMessage(4, 2, "") {
				t.Errorf("%+v, want the receipt message", got[0])
			}
		})
	}
}
