package central

import (
	"context"
	"strconv"
)

// MailPrefsTx is what setting a member's mail preferences reads and
// writes of a store, inside its write transaction.
type MailPrefsTx interface {
	MemberExists(ctx context.Context, member int64) (bool, error)
	// MailLang returns the member's language: "fr" when she never chose.
	MailLang(ctx context.Context, member int64) (string, error)
	// SaveMailPrefs stores her language and reminder choice.
	SaveMailPrefs(ctx context.Context, member int64, lang string, remindersOff bool) error
	// BumpMember gives the member the next sync version (the kiosks
	// receive her again).
	BumpMember(ctx context.Context, member int64) error
	// Audit records a change made by ctx's actor.
	Audit(ctx context.Context, action, object string, details any) error
}

// SetMailPrefs records through tx a member's language ("fr" or "en") and
// reminder choice. The door's screen speaks her language: a new one
// sends her to the kiosks again. Returns EINVALID, ENOTFOUND.
func SetMailPrefs(ctx context.Context, tx MailPrefsTx, member int64, lang string, remindersOff bool) error {
	if lang != "fr" && lang != "en" {
		return Errorf(EINVALID, "Unknown language %q (fr or en).", lang)
	}
	if ok, err := tx.MemberExists(ctx, member); err != nil {
		return err
	} else if !ok {
		return Errorf(ENOTFOUND, "Member %d not found.", member)
	}
	old, err := tx.MailLang(ctx, member)
	if err != nil {
		return err
	}
	if old != lang {
		if err := tx.BumpMember(ctx, member); err != nil {
			return err
		}
	}
	if err := tx.SaveMailPrefs(ctx, member, lang, remindersOff); err != nil {
		return err
	}
	return tx.Audit(ctx, "member.mail_prefs", "member:"+strconv.FormatInt(member, 10),
		map[string]any{"lang": lang, "reminders_off": remindersOff})
}
