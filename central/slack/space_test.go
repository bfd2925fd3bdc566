package slack_test

import (
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/slack"
	"github.com/badgeuse/badgeuse/central/sqlstore"
)

// TestArrivalsPerSpace (issue 14): an arrival is posted in the channel of
// the space entered (Space.SlackChannel), named as that space; a space
// without a channel of its own posts in slack.channel, as does a worker
// that knows no spaces; the time is on the clock of the space entered
// (Le Square's is La Réunion's, not the network's Paris).
func TestArrivalsPerSpace(t *testing.T) {
	f := newFixture(t)
	const chanCantine = "C0CANTINE01"
	f.fake.AddChannel(chanCantine, true)
	spaces := sqlstore.NewSpaceService(f.db.DB)
	cantine, square := &central.Space{Name: "La Cantine"}, &central.Space{Name: "Le Square", Timezone: "Indian/Reunion"}
	for _, s := range []*central.Space{cantine, square} {
		if err := spaces.CreateSpace(f.ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	if err := spaces.SetSpaceMessaging(f.ctx, cantine.ID, chanCantine, ""); err != nil {
		t.Fatal(err)
	}
	f.setting("slack.arrival_template", "{first_name} à {space} à {time}")
	f.setting("space.name", "La Ruche")
	atCantine, atSquare := f.newKioskAt("cantine", cantine.Key), f.newKioskAt("square", square.Key)
	ana, ben, cleo := f.member("Ana A", "", 10), f.member("Ben B", "", 10), f.member("Cléo C", "", 10)
	now := time.Now()
	paris, _ := time.LoadLocation("Europe/Paris")
	reunion, _ := time.LoadLocation("Indian/Reunion")
	at := func(loc *time.Location) string { return slack.ClockTime(now.In(loc)) }
	f.push(f.kiosk, accepted(ana, now))
	f.push(atCantine, accepted(ben, now))
	f.push(atSquare, accepted(cleo, now))
	w := f.worker()
	w.Spaces = spaces
	f.serve(w)
	f.drain(drainWait)
	if got := strings.Join(texts(f.fake.Messages(chanCantine)), "|"); got != "Ben à La Cantine à "+at(paris) {
		t.Errorf("La Cantine's channel: %q, want Ben's arrival only", got)
	}
	if got := strings.Join(texts(f.fake.Messages(chanArrivals)), "|"); got != "Ana à La Ruche à "+at(paris)+"|Cléo à Le Square à "+at(reunion) {
		t.Errorf("slack.channel: %q, want Ana's (main space) and Cléo's (Le Square has no channel of its own, its clock is La Réunion's)", got)
	}
}

func (f *fixture) newKioskAt(name, space string) *central.Kiosk {
	f.t.Helper()
	token, err := f.kiosks.CreateKiosk(f.ctx, &central.Kiosk{Name: name, Space: space})
	if err != nil {
		f.t.Fatal(err)
	}
	k, _, err := f.kiosks.Enroll(f.ctx, token, "test")
	if err != nil {
		f.t.Fatal(err)
	}
	return k
}

// TestRenamedSpaceInPosts: La Cantine, renamed « La Cantine
// Croix-Rousse », keeps its key on its kiosk and its visits; the arrival
// post and the low balance's direct message of a visit there name it by
// its new name (central.PlaceName), never the old one.
func TestRenamedSpaceInPosts(t *testing.T) {
	f := newFixture(t)
	spaces := sqlstore.NewSpaceService(f.db.DB)
	cantine := &central.Space{Name: "La Cantine"}
	if err := spaces.CreateSpace(f.ctx, cantine); err != nil {
		t.Fatal(err)
	}
	atCantine := f.newKioskAt("cantine", cantine.Key)
	if err := spaces.RenameSpace(f.ctx, cantine.ID, "La Cantine Croix-Rousse"); err != nil {
		t.Fatal(err)
	}
	f.setting("slack.arrival_template", "{first_name} à {space}")
	f.fake.AddUser("alice@example.org", "U0ALICE")
	alice := f.member("Alice Martin", "alice@example.org", 2)
	if err := spaces.SetProductSpaces(f.ctx, f.pack[2], central.MainSpace, central.ProductSpaces{All: true}); err != nil {
		t.Fatal(err) // her card is valid at La Cantine
	}
	f.push(atCantine, accepted(alice, time.Now()))
	w := f.worker()
	w.Spaces = spaces
	f.serve(w)
	f.drain(drainWait)
	const name = "La Cantine Croix-Rousse"
	posts := append(texts(f.fake.Messages(chanArrivals)), texts(f.fake.Messages(f.fake.IMChannel("U0ALICE")))...)
	if len(posts) != 2 || posts[0] != "Alice à "+name ||
		!strings.HasPrefix(posts[1], "Bonjour Alice ! Il te reste 1 entrée(s) sur ta carte à "+name+".") {
		t.Errorf("posts %q, want the arrival and the direct message at %s", posts, name)
	}
	for _, p := range posts {
		if strings.Contains(strings.ReplaceAll(p, name, ""), "La Cantine") {
			t.Errorf("post %q names the old name", p)
		}
	}
}
