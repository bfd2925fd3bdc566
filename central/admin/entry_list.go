package admin

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/admin/adminstore"
	"github.com/badgeuse/badgeuse/shared/access"
)

// entryChoice is a member the typed name matches: her name and the
// link to her entries.
type entryChoice struct{ Name, Link string }

type entryListData struct {
	Day      string // YYYY-MM-DD or ""
	Member   int64
	Kiosk    int64
	Decision string        // "", "accepted", "refused"
	Name     string        // the member's name when filtered by member
	Who      string        // the name typed to find a member
	Choices  []entryChoice // the members the typed name matches, when several
	NoMatch  bool          // the typed name matches nobody
	Kiosks   []*central.Kiosk
	Entries  []*adminstore.EntryRow
	Pager    pager
	CSV      string
	// Pick: a network user's space select (the kiosks, entries and names
	// of that space); Query keeps nothing here: the filters form does.
	Pick spacePick
	// Links: the members named whose page the user may open.
	Links memberLinks
}

// entryFilter reads ?day=YYYY-MM-DD&member=ID&kiosk=ID&decision=.
func entryFilter(q url.Values, loc *time.Location) (adminstore.EntryRowFilter, entryListData) {
	var f adminstore.EntryRowFilter
	var d entryListData
	if day, err := access.ParseDay(q.Get("day")); err == nil && !day.IsZero() {
		d.Day = day.String()
		f.Since, f.Until = day.Start(loc), day.AddDays(1).Start(loc)
	}
	if id, err := strconv.ParseInt(q.Get("member"), 10, 64); err == nil && id > 0 {
		d.Member, f.Member = id, &id
	}
	if id, err := strconv.ParseInt(q.Get("kiosk"), 10, 64); err == nil && id > 0 {
		d.Kiosk, f.Kiosk = id, &id
	}
	switch q.Get("decision") {
	case "accepted":
		t := true
		d.Decision, f.Accept = "accepted", &t
	case "refused":
		no := false
		d.Decision, f.Accept = "refused", &no
	}
	return f, d
}

// entryList lists entries, newest first, with filters (GET /entries;
// ?space=ID for a network user: at that space's kiosks).
func (s *Server) entryList(w http.ResponseWriter, r *http.Request) {
	user := requestScope(r)
	r, ok := s.statsPlace(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	settings, err := s.cfg.Settings.Settings(ctx)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	q := r.URL.Query()
	page, offset := pageOf(q)
	// A member is picked by typing her name (issue 18: nobody needs her
	// number): one match filters on her, several are offered as links.
	who := strings.TrimSpace(q.Get("who"))
	if len(who) > 100 {
		who = who[:100]
	}
	var choices []*central.Member
	if who != "" && q.Get("member") == "" {
		ms, _, err := s.cfg.Members.FindMembers(ctx, central.MemberFilter{Query: who, Space: requestScope(r).MemberSpace(), Limit: 8})
		if err != nil {
			s.failErr(w, r, err)
			return
		}
		if len(ms) == 1 {
			q.Set("member", strconv.FormatInt(ms[0].ID, 10))
			q.Del("who")
		} else {
			choices = ms
		}
	}
	f, d := entryFilter(q, requestScope(r).clock(settings))
	if who != "" && d.Member == 0 {
		d.Who, d.NoMatch = who, len(choices) == 0
		for _, m := range choices {
			v := url.Values{}
			for k, vs := range q {
				v[k] = vs
			}
			v.Del("who")
			v.Del("page")
			v.Set("member", strconv.FormatInt(m.ID, 10))
			d.Choices = append(d.Choices, entryChoice{Name: m.Name, Link: "/entries?" + v.Encode()})
		}
	}
	if d.Pick, err = s.spacePick(r, user); err != nil {
		s.failErr(w, r, err)
		return
	}
	sc := requestScope(r)
	f.Kiosks = sc.Kiosks()
	f.Offset, f.Limit = offset, perPage
	var n int
	if d.Entries, n, err = s.cfg.Store.EntryRows(ctx, f); err != nil {
		s.failErr(w, r, err)
		return
	}
	kiosks, _, err := s.cfg.Kiosks.FindKiosks(ctx, central.KioskFilter{})
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	for _, k := range kiosks {
		if sc.HasKiosk(k.ID) {
			d.Kiosks = append(d.Kiosks, k)
		}
	}
	if d.Member != 0 {
		// Her name from the entries shown (a member of another space came
		// to a kiosk of this one), else as a member the user may see.
		for _, e := range d.Entries {
			if e.Member == d.Member && e.MemberName != "" {
				d.Name = e.MemberName
			}
		}
		ms, _, err := s.cfg.Members.FindMembers(ctx, central.MemberFilter{ID: &d.Member, Space: sc.MemberSpace(), Limit: 1})
		if err == nil && len(ms) == 1 {
			d.Name = ms[0].Name
		}
	}
	named := []int64{d.Member}
	for _, e := range d.Entries {
		named = append(named, e.Member)
	}
	if d.Links, err = s.memberLinks(ctx, user, named...); err != nil {
		s.failErr(w, r, err)
		return
	}
	if n > adminstore.EntryRowsCountLimit {
		d.Pager = newPager("/entries", q, page, adminstore.EntryRowsCountLimit)
		d.Pager.More = true
	} else {
		d.Pager = newPager("/entries", q, page, n)
	}
	d.CSV = "/entries.csv"
	if v := filterQuery(q); v != "" {
		d.CSV += "?" + v
	}
	s.render(w, r, "entry_list", s.newPage(r, "entries.title", d))
}

// entryCSV exports the filtered entries (GET /entries.csv): at the
// kiosks of the user's space, or of the space a network user picked
// (?space=ID).
func (s *Server) entryCSV(w http.ResponseWriter, r *http.Request) {
	r, ok := s.statsPlace(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	settings, err := s.cfg.Settings.Settings(ctx)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	f, _ := entryFilter(r.URL.Query(), requestScope(r).clock(settings))
	f.Kiosks = requestScope(r).Kiosks()
	es, _, err := s.cfg.Store.EntryRows(ctx, f)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	spaces, doors, err := s.kioskPlaces(ctx)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	cw := s.newExport(w, r, "entries")
	cw.spaces = spaces // the kiosk's space
	cw.header("id", "time", "kiosk_id", "kiosk", "seq", "member_id", "member", "accepted", "reason", "kiosk_time",
		"clock_unsure", "time_corrected", "received")
	for _, e := range es {
		cw.spaceRow(doors[e.Kiosk], e.ID, cw.time(e.Time), i64(e.Kiosk), e.KioskName, i64(e.Seq), i64(e.Member), e.MemberName, cw.bool(e.Accept),
			cw.word("reason.", string(e.Reason)), cw.time(e.KioskTime), cw.bool(e.ClockUnsure), cw.bool(e.TimeCorrected), cw.time(e.Received))
	}
	cw.flush(s)
}

// kioskPlaces returns a network's spaces and each kiosk's space, by kiosk
// id; nothing for an association of one space.
func (s *Server) kioskPlaces(ctx context.Context) ([]*central.Space, map[int64]int64, error) {
	spaces, err := s.networkSpaces(ctx)
	if err != nil || spaces == nil {
		return nil, nil, err
	}
	ks, _, err := s.cfg.Kiosks.FindKiosks(ctx, central.KioskFilter{})
	if err != nil {
		return nil, nil, err
	}
	doors := make(map[int64]int64, len(ks))
	for _, k := range ks {
		doors[k.ID] = central.SpaceOfKey(spaces, k.Space)
	}
	return spaces, doors, nil
}
