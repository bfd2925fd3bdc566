package main

import (
	"encoding/json"
	"regexp"
	"testing"
)

// TestMembershipRequiredEndToEnd: with door.require_membership set at
// central, the real kioskd refuses, offline from its synced copy, a member
// whose dues (a membership sold by "centrald sell") do not cover today,
// with reason membership_expired, and lets in a member with dues and staff
// without any; "centrald balance --json" says until when the dues run.
// Refunding the dues refuses her at the next sync; with the setting off
// again, the member without dues comes in.
func TestMembershipRequiredEndToEnd(t *testing.T) {
	c := newCentral(t)
	card := c.run("product", "add", "--name", "Carte 10 entrées", "--kind", "pack", "--entries", "10", "--price", "80")
	year := c.run("product", "add", "--name", "Adhésion annuelle", "--kind", "membership", "--year", "--price", "20")
	days := c.run("product", "add", "--name", "Adhésion 30 jours", "--kind", "membership", "--days", "30", "--price", "5")
	staff := c.run("product", "add", "--name", "Équipe", "--kind", "unlimited", "--price", "0")
	add := func(name string) string { return c.run("member", "add", "--name", name) }
	paid, month, unpaid, team := add("Alice Martin"), add("Bruno Petit"), add("Chloé Durand"), add("Denis Roux")
	for _, m := range []string{paid, month, unpaid} {
		c.run("sell", "--member", m, "--product", card)
	}
	dues := c.run("sell", "--member", paid, "--product", year)
	c.run("sell", "--member", month, "--product", days)
	c.run("sell", "--member", team, "--product", staff)
	badge := map[string]string{}
	for _, m := range []string{paid, month, unpaid, team} {
		badge[m] = c.run("badge", "issue", "--member", m)
	}

	dayRE := regexp.MustCompile(`^\d{4}-12-31$`)
	if b := c.balanceJSON(paid); !dayRE.MatchString(b["membership_until"].(string)) {
		t.Errorf("balance of a member with a year's dues: membership_until %q, want the 31 December of this or next year", b["membership_until"])
	}
	if b := c.balanceJSON(month); b["membership_until"] == "" {
		t.Errorf("balance of a member with 30 days' dues: no membership_until: %v", b)
	}
	if b := c.balanceJSON(unpaid); b["membership_until"] != "" {
		t.Errorf("balance of a member without dues: membership_until %q, want \"\"", b["membership_until"])
	}
	if out := c.run("settings", "set", "door.require_membership", "true"); out != "" {
		t.Logf("settings set: %s", out)
	}
	c.start()
	k := newKiosk(t, c, "Entrée")
	k.sync()
	c.kill() // the kiosk decides offline
	got := k.run(video(t, badge[paid], badge[month], badge[unpaid], badge[team]))
	want := []struct{ decision, reason, member string }{
		{"accept", "pack", paid}, {"accept", "pack", month}, {"refuse", "membership_expired", unpaid},
		{"accept", "unlimited", team},
	}
	check := func(got []decision, want []struct{ decision, reason, member string }) {
		t.Helper()
		if len(got) != len(want) {
			t.Fatalf("kioskd printed %d decisions, want %d: %+v", len(got), len(want), got)
		}
		for i, w := range want {
			if g := got[i]; g.Decision != w.decision || g.Reason != w.reason || g.Member != w.member {
				t.Errorf("decision %d = %s %s member %q, want %s %s member %q", i, g.Decision, g.Reason, g.Member, w.decision, w.reason, w.member)
			}
		}
	}
	check(got, want)

	// Dues refunded: refused at the next sync; already in today does not
	// let her in without dues.
	c.run("refund", "--sale", dues)
	if b := c.balanceJSON(paid); b["membership_until"] != "" {
		t.Errorf("after the refund of her dues: membership_until %q, want \"\"", b["membership_until"])
	}
	c.start()
	k.sync()
	check(k.run(video(t, badge[paid])), []struct{ decision, reason, member string }{{"refuse", "membership_expired", paid}})

	// The policy off again: the member without dues comes in.
	c.run("settings", "set", "door.require_membership", "false")
	k.sync()
	check(k.run(video(t, badge[unpaid])), []struct{ decision, reason, member string }{{"accept", "pack", unpaid}})
}

// balanceJSON is "centrald balance --json" as a map: the test sees every
// field the contract names.
func (c *central) balanceJSON(member string) map[string]any {
	c.t.Helper()
	var b map[string]any
	if err := json.Unmarshal([]byte(c.run("balance", "--member", member, "--json")), &b); err != nil {
		c.t.Fatal(err)
	}
	if _, ok := b["membership_until"].(string); !ok {
		c.t.Fatalf("balance --json has no membership_until string: %v", b)
	}
	return b
}
