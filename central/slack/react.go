package slack

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/access"
)

// MaxArrivalDelay is how late an arrival may reach central and still be
// announced: a kiosk back online after hours does not flood the channel
// with "Alice est arrivée (9:12)" at 15:00. Balance messages and alerts are
// still made.
const MaxArrivalDelay = 2 * time.Hour

// React is Slack's central.Reaction (centrald registers it in the store):
//
//   - Arrival: the arrival post, unless she opted out, the arrival reached
//     central more than MaxArrivalDelay late, or the kiosk's clock was
//     unsure;
//   - GuestArrival: the same post naming the guest and her host ("Léa
//     (invitée de Marc)"), once per pass, on the same conditions of time
//     (a host who opted out is not named: "Léa (invitée)");
//   - LowBalance: a direct message (2, 1 or 0 entries left), unless she
//     opted out;
//   - Overdraft, UnmatchedPayment, KioskSilent, RevokedBadgeRepeated,
//     KioskCameraDown, KioskDiskLow: an alert to the bureau's channel
//     (the health alerts once per incident: the key is the kiosk and the
//     incident's start, the same in every report while it lasts).
//
// Payloads hold ids and facts where the text depends on the member, who is
// read when the post is sent (she may have opted out or been erased
// meanwhile); alerts are rendered now. Keys derive from the event (the
// entry's id, the payment's reference...), so a replay adds nothing.
func React(ev central.Event, _ central.Settings) []central.OutboxMessage {
	switch ev := ev.(type) {
	case central.Arrival:
		m, e, v := ev.Member, ev.Entry, ev.Visit
		if m.SlackOptOut || e.Received.Sub(e.Time) > MaxArrivalDelay || e.ClockUnsure {
			return nil
		}
		return []central.OutboxMessage{Post{Member: m.ID, Kiosk: e.Kiosk, Space: v.Space, Time: e.Time}.
			Message(TopicArrival, TopicArrival+":"+strings.ToLower(e.ID))}
	case central.GuestArrival:
		g, h, e := ev.Pass, ev.Host, ev.Entry
		if g == nil || h == nil || e.Received.Sub(e.Time) > MaxArrivalDelay || e.ClockUnsure {
			return nil
		}
		space := g.Space
		if ev.Kiosk != nil {
			space = ev.Kiosk.Space
		}
		return []central.OutboxMessage{Post{Member: h.ID, Guest: g.Name, Kiosk: e.Kiosk, Space: space, Time: e.Time}.
			Message(TopicArrival, TopicArrival+":guest:"+strconv.FormatInt(g.ID, 10))}
	case central.LowBalance:
		if ev.Member.SlackOptOut {
			return nil
		}
		return []central.OutboxMessage{Post{Member: ev.Member.ID, Space: ev.Visit.Space, Left: ev.Left}.
			Message(TopicBalance, TopicBalance+":"+strings.ToLower(ev.Entry.ID))}
	case central.Overdraft:
		kiosk := ""
		if ev.Kiosk != nil {
			kiosk = " (" + ev.Kiosk.Name + ")"
		}
		text := fmt.Sprintf("⚠️ %s est entré·e le %s%s avec une carte déjà épuisée (borne hors ligne) : découvert de %d entrée(s) à régulariser.",
			alertName(ev.Member), ev.Visit.Day.Start(time.UTC).Format("02/01"), kiosk, ev.Entries)
		return []central.OutboxMessage{alert("overdraft", strings.ToLower(ev.Entry.ID), text)}
	case central.UnmatchedPayment:
		return []central.OutboxMessage{unmatchedPaymentAlert(ev.Payment)}
	case central.KioskSilent:
		loc := ev.Location
		if loc == nil {
			loc = time.UTC
		}
		seen := ev.LastSeen.In(loc)
		text := fmt.Sprintf("📵 La borne « %s » ne donne plus de nouvelles depuis le %s à %s (réseau, courant ?).",
			ev.Kiosk.Name, seen.Format("02/01"), ClockTime(seen))
		return []central.OutboxMessage{alert("kiosk_silent", strconv.FormatInt(ev.Kiosk.ID, 10)+":"+strconv.FormatInt(ev.LastSeen.Unix(), 10), text)}
	case central.KioskCameraDown:
		why := ""
		if ev.Error != "" {
			why = " (" + ev.Error + ")"
		}
		text := fmt.Sprintf("📷 La caméra de la borne « %s » ne voit plus rien depuis %s%s : la porte ne lit plus les badges. Vérifiez le câble de la caméra, puis « sudo kioskd doctor ».",
			ev.Kiosk.Name, alertWhen(ev.Since, ev.Location), why)
		return []central.OutboxMessage{alert("camera", strconv.FormatInt(ev.Kiosk.ID, 10)+":"+strconv.FormatInt(ev.Since.UnixMilli(), 10), text)}
	case central.KioskDiskLow:
		text := fmt.Sprintf("💾 Le disque de la borne « %s » est presque plein (%s libres) : libérez de la place (sudo apt clean, sudo journalctl --vacuum-size=50M) avant qu'elle ne refuse tout le monde.",
			ev.Kiosk.Name, central.Bytes(ev.Free).French())
		return []central.OutboxMessage{alert("disk", strconv.FormatInt(ev.Kiosk.ID, 10)+":"+strconv.FormatInt(ev.Since.UnixMilli(), 10), text)}
	case central.RevokedBadgeRepeated:
		who := "un badge révoqué"
		if ev.Member != nil {
			who = "un badge révoqué de " + alertName(ev.Member)
		}
		text := fmt.Sprintf("🚫 %s a été présenté %d fois aujourd'hui (dernière fois : %s).", capitalize(who), ev.Count, ev.Kiosk)
		short := ev.Hash
		if len(short) > 16 {
			short = short[:16]
		}
		return []central.OutboxMessage{alert("revoked", short+":"+ev.Day.String(), text)}
	}
	return nil
}

// alertWhen says a time in the space's zone: "le 03/12 à 14:05".
func alertWhen(t time.Time, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	t = t.In(loc)
	return "le " + t.Format("02/01") + " à " + ClockTime(t)
}

// alertName names a member in a bureau alert: her name, or her number when
// she asked not to be mentioned in Slack.
func alertName(m *central.Member) string {
	if m.SlackOptOut {
		return "le membre n°" + strconv.FormatInt(m.ID, 10)
	}
	return m.Name
}

// alert returns a bureau alert: text is posted as is to the bureau's
// channel (setting slack.bureau_channel). kind and id make the key: the
// same alert enqueued twice is posted once.
func alert(kind, id, text string) central.OutboxMessage {
	return Post{Text: text}.Message(TopicAlert, TopicAlert+":"+kind+":"+id)
}

// unmatchedPaymentAlert is the bureau alert for a paid payment that
// matches no member or product: posted once per payment.
func unmatchedPaymentAlert(p *central.Payment) central.OutboxMessage {
	who := p.PayerName
	if p.BeneficiaryName != "" && p.BeneficiaryName != p.PayerName {
		who += " pour " + p.BeneficiaryName
	}
	if who == "" {
		who = "?"
	}
	why := map[string]string{
		central.ReasonNoProduct:     "article non relié à un produit",
		central.ReasonNoMember:      "aucun membre avec cet e-mail",
		central.ReasonNoEmail:       "pas d'e-mail",
		central.ReasonBeneficiary:   "bénéficiaire inconnu",
		central.ReasonInactive:      "produit plus vendu",
		central.ReasonErased:        "membre effacé",
		central.ReasonSpaceDonation: "don au compte HelloAsso d'un espace : reçu fiscal par son association",
	}[p.Reason]
	if why == "" {
		why = p.Reason
	}
	text := fmt.Sprintf("💶 Paiement sans membre : %s, %s (%s, %s). À attribuer dans l'admin, Paiements.",
		who, central.Money(p.Amount).Short(), p.ItemName, why)
	return alert("payment", p.Source+":"+p.ExternalRef, text)
}

// DigestMessage is the daily "who came today" of a space.
func DigestMessage(space string, day access.Day) central.OutboxMessage {
	return Post{Space: space, Day: day.String()}.Message(TopicDigest, TopicDigest+":"+space+":"+day.String())
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
