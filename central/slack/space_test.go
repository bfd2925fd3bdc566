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
	f.drain(10 * time.Second)
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
