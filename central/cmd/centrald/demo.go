package main

import (
	"crypto/rand"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/access"
	"github.com/badgeuse/badgeuse/shared/badge"
)

// cmdDemo fills an empty data folder with a demo association: products,
// members in every situation the door knows (a card in use, a
// subscription, an exhausted day pass, a lost badge, a suspended member,
// an expired subscription, staff, an offline overdraft), three weeks of
// history, a second kiosk, and the members' side: two events of the coming
// week, a room and a projector to book, three members in the directory.
// It writes, to --badges, the texts to show to a kiosk's camera in the
// demo, one per line ("TEXT<TAB>what it shows").
//
// The association is a network of two spaces (issue 14): the main one and
// L'Annexe, with a network pass valid at both and a card of L'Annexe;
// --annex-badges writes the texts to show to a door of L'Annexe.
//
// --member-link writes the path of Alice's personal page (/m/TOKEN, the
// link the bureau gives a member), so that make demo can print it: a
// volunteer trying Badgeuse sees the members' side without first making
// a link in the admin and finding it in a caught mail.
func cmdDemo(e *env, args []string) error {
	badges := e.fs.String("badges", "", "file to write the demo's badge texts to")
	annex := e.fs.String("annex-badges", "", "file to write the badge texts for a door of the second space, L'Annexe")
	link := e.fs.String("member-link", "", "file to write the path of a demo member's personal page to (/m/TOKEN)")
	db, err := e.start(args, "badges")
	if err != nil {
		return err
	}
	if ms, _, err := db.Member.FindMembers(e.ctx, central.MemberFilter{Limit: 1}); err != nil {
		return err
	} else if len(ms) > 0 {
		return usagef("demo: %s already has members; give an empty data folder", *e.data)
	}
	loc, err := spaceZone(e.ctx, db)
	if err != nil {
		return err
	}
	d := &demo{e: e, db: db, now: time.Now(), loc: loc}
	lines, err := d.seed()
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if err := os.WriteFile(*badges, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		return err
	}
	if *annex != "" {
		if err := os.WriteFile(*annex, []byte(strings.Join(d.annex, "\n")+"\n"), 0o600); err != nil {
			return err
		}
	}
	if *link != "" {
		_, token, err := db.Admin.CreateMemberLink(e.ctx, d.alice)
		if err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		if err := os.WriteFile(*link, []byte("/m/"+token+"\n"), 0o600); err != nil {
			return err
		}
	}
	fmt.Fprintf(e.stdout, "demo association ready: %d members; badge texts in %s\n", d.members, *badges)
	return nil
}

// demo seeds a data folder. Sales and history are dated in the past by
// moving the store's clock.
type demo struct {
	e       *env
	db      *database
	now     time.Time
	loc     *time.Location // the space's: days of sales and visits
	members int
	kiosk   int64
	seq     int64
	annex   []string // the badge texts for a door of L'Annexe
	alice   int64    // the member whose personal page make demo prints
}

// at runs fn with the store's clock daysAgo days back (at 10:00 in the
// space).
func (d *demo) at(daysAgo int, fn func() error) error {
	t := access.DayOf(d.now, d.loc).AddDays(-daysAgo).Start(d.loc).Add(10 * time.Hour)
	d.db.SetNow(func() time.Time { return t })
	defer d.db.SetNow(time.Now)
	return fn()
}

func (d *demo) seed() ([]string, error) {
	ctx := d.e.ctx
	settings := d.db.Settings
	for k, v := range map[string]string{central.SettingSpaceName: "La Ruche des Pentes", central.SettingHours: ""} {
		if err := settings.SetSetting(ctx, k, v); err != nil {
			return nil, err
		}
	}
	products := d.db.Product
	product := func(name string, kind access.Kind, entries, days int, euros int64) (int64, error) {
		p := &central.Product{Name: name, Kind: kind, Entries: entries, Days: days, Price: euros * 100, Active: true}
		return p.ID, products.CreateProduct(ctx, p)
	}
	var card, month, day, staff, dues, dues12 int64
	var err error
	for _, p := range []struct {
		id      *int64
		name    string
		kind    access.Kind
		entries int
		days    int
		euros   int64
	}{
		{&card, "Carte 10 entrées", access.Pack, 10, 365, 80},
		{&month, "Abonnement mensuel", access.Subscription, 0, 30, 120},
		{&day, "Journée", access.Pack, 1, 30, 10},
		{&staff, "Équipe (illimité)", access.Unlimited, 0, 0, 0},
		{&dues, "Adhésion annuelle", access.Membership, 0, 0, 15}, // the calendar year (membership.cutoff)
		{&dues12, "Adhésion 12 mois", access.Membership, 0, 365, 15},
	} {
		if *p.id, err = product(p.name, p.kind, p.entries, p.days, p.euros); err != nil {
			return nil, err
		}
	}
	// The membership products' HelloAsso forms (invented: the demo's
	// association has none), for the members' "renew" link and mails.
	if err := settings.SetSetting(ctx, central.SettingJoinForms, fmt.Sprintf("%d=%s %d=%s",
		dues, "https://www.helloasso.com/associations/la-ruche-des-pentes/adhesions/adhesion-annuelle",
		dues12, "https://www.helloasso.com/associations/la-ruche-des-pentes/adhesions/adhesion-12-mois")); err != nil {
		return nil, err
	}
	// A network of two spaces: L'Annexe, with its own card, and a pass
	// valid at both.
	annex := &central.Space{Name: "L'Annexe", Timezone: "Europe/Paris", Address: "12 rue d'Austerlitz, Lyon"}
	if err := d.db.Space.CreateSpace(ctx, annex); err != nil {
		return nil, err
	}
	if err := d.db.Space.SetSpaceAddress(ctx, central.MainSpace, "7 montée de la Grande-Côte, 69001 Lyon"); err != nil {
		return nil, err
	}
	var pass, annexCard int64
	if pass, err = product("Pass réseau (les deux espaces)", access.Pack, 10, 365, 120); err != nil {
		return nil, err
	}
	if err := d.db.Space.SetProductSpaces(ctx, pass, central.MainSpace, central.ProductSpaces{All: true}); err != nil {
		return nil, err
	}
	if annexCard, err = product("Carte 10 entrées L'Annexe", access.Pack, 10, 365, 70); err != nil {
		return nil, err
	}
	if err := d.db.Space.SetProductSpaces(ctx, annexCard, annex.ID, central.ProductSpaces{}); err != nil {
		return nil, err
	}
	// Their convention, each way: the settlement between spaces
	// (/settlement) counts the network pass's visits at L'Annexe at it.
	for _, c := range []*central.Convention{{Host: annex.ID, Seller: central.MainSpace, Rate: 350},
		{Host: central.MainSpace, Seller: annex.ID, Rate: 350}} {
		if err := d.db.Space.SetConvention(ctx, c); err != nil {
			return nil, err
		}
	}
	k := &central.Kiosk{Name: "Porte du jardin"}
	enroll, err := d.db.Kiosk.CreateKiosk(ctx, k)
	if err != nil {
		return nil, err
	}
	// Enrolled, as a door that synced is: its history below comes from it.
	if _, _, err := d.db.Kiosk.Enroll(ctx, enroll, "demo"); err != nil {
		return nil, err
	}
	d.kiosk = k.ID

	type person struct {
		name, email string
		sales       []struct{ product, daysAgo int64 }
		visits      []int // days ago
	}
	sale := func(product int64, daysAgo int64) struct{ product, daysAgo int64 } {
		return struct{ product, daysAgo int64 }{product, daysAgo}
	}
	people := []person{
		{"Alice Martin", "alice@example.org", nil, []int{19, 15, 12, 8, 5, 1}},
		{"Bruno Petit", "bruno@example.org", nil, []int{9, 7, 6, 2}},
		{"Chloé Durand", "chloe@example.org", nil, []int{7}},
		{"Denis Roux", "denis@example.org", nil, []int{14, 3}},
		{"Emma Blanc", "emma@example.org", nil, []int{20}},
		{"Farid Haddad", "farid@example.org", nil, []int{39, 30, 25}},
		{"Gaëlle Le Gall", "gaelle@example.org", nil, []int{6, 5, 4, 1}},
		{"Hugo Lefèvre", "hugo@example.org", nil, []int{21, 18, 17, 16, 13, 11, 10, 4}},
		{"Inès Moreau", "ines@example.org", nil, []int{2}},
		{"Jules Fontaine", "jules@example.org", nil, nil},
		{"Karima Benali", "karima@example.org", nil, []int{12, 5, 2}},
		{"Marc Dubois", "marc@example.org", nil, []int{6, 3}},
		{"Nadia Réseau", "nadia@example.org", nil, nil},
		{"Léo Annexe", "leo@example.org", nil, nil},
	}
	people[0].sales = append(people[0].sales, sale(card, 20))
	people[1].sales = append(people[1].sales, sale(month, 10))
	people[2].sales = append(people[2].sales, sale(day, 8))
	people[3].sales = append(people[3].sales, sale(card, 15))
	people[4].sales = append(people[4].sales, sale(card, 22))
	people[5].sales = append(people[5].sales, sale(month, 40))
	people[6].sales = append(people[6].sales, sale(staff, 60))
	people[7].sales = append(people[7].sales, sale(card, 22))
	people[8].sales = append(people[8].sales, sale(day, 3))
	people[10].sales = append(people[10].sales, sale(card, 13), sale(month, 4))
	people[11].sales = append(people[11].sales, sale(day, 7)) // used twice offline: an overdraft
	people[12].sales = append(people[12].sales, sale(pass, 5))
	people[13].sales = append(people[13].sales, sale(annexCard, 5))
	// Dues (adhésion): current for most; Bruno's end in 30 days (his
	// renewal reminder goes out when the demo's serve starts, and his
	// page offers to renew); Farid's ended long ago (a calendar year
	// ends at most 425 days after it is paid).
	for _, i := range []int{0, 2, 3, 6, 7, 8, 10, 11} {
		people[i].sales = append(people[i].sales, sale(dues, 25))
	}
	people[1].sales = append(people[1].sales, sale(dues12, 334))
	people[5].sales = append(people[5].sales, sale(dues, 500))

	members := d.db.Member
	ledger := d.db.Ledger
	badges := d.db.Badge
	texts := map[string]badge.Secret{}
	var ids []int64
	for _, p := range people {
		m := &central.Member{Name: p.name, Email: p.email}
		joined := int64(30) // a member is made before her first sale
		for _, s := range p.sales {
			joined = max(joined, s.daysAgo)
		}
		if err := d.at(int(joined), func() error { return members.CreateMember(ctx, m) }); err != nil {
			return nil, err
		}
		ids = append(ids, m.ID)
		if p.name == "Alice Martin" {
			d.alice = m.ID
		}
		d.members++
		for _, s := range p.sales {
			err := d.at(int(s.daysAgo), func() error {
				_, err := ledger.CreateSale(ctx, central.NewSale{Member: m.ID, Product: s.product, Source: central.SourceCLI})
				return err
			})
			if err != nil {
				return nil, err
			}
		}
		_, secret, err := badges.IssueBadge(ctx, m.ID, true)
		if err != nil {
			return nil, err
		}
		texts[p.name] = secret
		if err := d.history(m.ID, secret.Hash(), p.visits); err != nil {
			return nil, err
		}
	}
	// Denis lost his badge: the old one is revoked, a new one issued.
	lost := texts["Denis Roux"]
	_, newDenis, err := badges.IssueBadge(ctx, ids[3], true)
	if err != nil {
		return nil, err
	}
	for i, st := range map[int]access.MemberStatus{4: access.MemberSuspended} {
		if _, err := members.UpdateMember(ctx, ids[i], central.MemberUpdate{Status: &st}); err != nil {
			return nil, err
		}
	}
	if err := d.community(ids); err != nil {
		return nil, err
	}
	var unknown badge.Secret
	rand.Read(unknown[:])
	d.annex = []string{
		texts["Nadia Réseau"].Text() + "\tNadia: pass réseau, valable ici aussi / network pass, valid here too",
		texts["Léo Annexe"].Text() + "\tLéo: carte de L'Annexe / L'Annexe's card",
		texts["Alice Martin"].Text() + "\tAlice: carte de La Ruche, pas valable ici (not_valid_here) / La Ruche's card, not valid here",
	}
	return []string{
		texts["Alice Martin"].Text() + "\tAlice: carte 10 entrées, une entrée décomptée / 10-entry card, one entry used",
		texts["Bruno Petit"].Text() + "\tBruno: abonnement / subscription",
		texts["Chloé Durand"].Text() + "\tChloé: journée déjà utilisée / day pass used up",
		lost.Text() + "\tDenis: ancien badge, perdu / old badge, reported lost",
		newDenis.Text() + "\tDenis: nouveau badge / new badge",
		texts["Emma Blanc"].Text() + "\tEmma: adhésion suspendue / membership suspended",
		"https://example.org/menu\tun autre QR code / another QR code",
		texts["Farid Haddad"].Text() + "\tFarid: abonnement expiré / subscription expired",
		texts["Gaëlle Le Gall"].Text() + "\tGaëlle: équipe / staff",
		unknown.Text() + "\tun badge inconnu / an unknown badge",
		texts["Alice Martin"].Text() + "\tAlice, de retour: rien de décompté / back again: nothing used",
		texts["Hugo Lefèvre"].Text() + "\tHugo: presque plus d'entrées / almost no entries left",
		texts["Nadia Réseau"].Text() + "\tNadia: pass réseau des deux espaces / network pass of both spaces",
		texts["Léo Annexe"].Text() + "\tLéo: carte de L'Annexe, pas valable ici (not_valid_here) / L'Annexe's card, not valid here",
	}, nil
}

// history pushes past accepted entries as the second kiosk recorded them.
func (d *demo) history(member int64, h badge.Hash, daysAgo []int) error {
	if len(daysAgo) == 0 {
		return nil
	}
	p := &central.Push{Kiosk: d.kiosk, Received: d.now, SentAt: d.now, Software: "demo"}
	for i, ago := range daysAgo {
		t := access.DayOf(d.now, d.loc).AddDays(-ago).Start(d.loc).Add(time.Duration(8*60+17*i%180) * time.Minute)
		id, err := uuid.NewV7()
		if err != nil {
			return err
		}
		d.seq++
		p.Entries = append(p.Entries, &central.Entry{ID: id.String(), Kiosk: d.kiosk, Seq: d.seq, Member: member, Badge: h,
			KioskTime: t, Accept: true, Reason: access.OKPack})
	}
	_, err := d.db.Sync.Push(d.e.ctx, p)
	return err
}

// community gives the members' side something to show: two events of the
// coming week with registrations (the Agenda), a room and a projector to
// book with a booking of Bruno's (Réserver), and members in the
// directory and in "who is here" (Annuaire, Qui est là). ids are the
// people of seed, in order.
func (d *demo) community(ids []int64) error {
	ctx := d.e.ctx
	day := access.DayOf(d.now, d.loc)
	at := func(days, hour, minute int) time.Time {
		return day.AddDays(days).Start(d.loc).Add(time.Duration(hour)*time.Hour + time.Duration(minute)*time.Minute)
	}
	breakfast := &central.CalendarEvent{Title: "Petit-déjeuner des membres",
		Description: "Croissants et café offerts : venez rencontrer les autres membres.",
		Start:       at(3, 9, 0), End: at(3, 10, 0), Capacity: 12}
	workshop := &central.CalendarEvent{Title: "Atelier : la comptabilité d'une association",
		Description: "Ouvert à tous, membres ou non. Places limitées.",
		Start:       at(6, 18, 30), End: at(6, 20, 0), Capacity: 8, Public: true}
	for _, e := range []*central.CalendarEvent{breakfast, workshop} {
		if err := d.db.Calendar.CreateEvent(ctx, e); err != nil {
			return err
		}
	}
	for _, r := range []*central.Registration{
		{Event: breakfast.ID, Member: ids[1]},  // Bruno
		{Event: breakfast.ID, Member: ids[10]}, // Karima
		{Event: workshop.ID, Member: ids[2]},   // Chloé
		{Event: workshop.ID, Name: "Sophie Garnier", Email: "sophie@example.org"},
	} {
		if err := d.db.Calendar.Register(ctx, r); err != nil {
			return err
		}
	}
	room := &central.Resource{Name: "Salle de réunion (8 places)", Opens: 8 * 60, Closes: 20 * 60,
		Slot: 30 * time.Minute, MaxPerWeek: 4 * time.Hour, Active: true}
	projector := &central.Resource{Name: "Vidéoprojecteur", Opens: 8 * 60, Closes: 20 * 60,
		Slot: time.Hour, Active: true}
	for _, r := range []*central.Resource{room, projector} {
		if err := d.db.Booking.CreateResource(ctx, r); err != nil {
			return err
		}
	}
	if err := d.db.Booking.Book(ctx, &central.Booking{Resource: room.ID, Member: ids[1],
		Start: at(1, 14, 0), End: at(1, 16, 0)}); err != nil {
		return err
	}
	for _, p := range []*central.Profile{
		{Member: ids[0], ShowPresence: true, InDirectory: true, About: "Graphiste indépendante : identités visuelles, affiches.",
			Skills: []string{"Graphisme", "Illustration"}, Contact: central.ContactEmail},
		{Member: ids[10], ShowPresence: true, InDirectory: true, About: "Comptable, j'aide les associations à tenir leurs comptes.",
			Skills: []string{"Comptabilité", "Associations"}, Contact: central.ContactSlack, ContactValue: "@karima"},
		{Member: ids[6], ShowPresence: true, InDirectory: true, About: "Je tiens l'accueil le matin : demandez-moi !",
			Skills: []string{"Accueil"}, Contact: central.ContactNone},
	} {
		if err := d.db.Profile.SaveProfile(ctx, p); err != nil {
			return err
		}
	}
	return nil
}
