package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	qrcode "github.com/skip2/go-qrcode"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/badge"
)

// pngSize is the side of a badge's QR code image, in pixels: large enough
// to print sharp at 3 cm.
const pngSize = 512

// cmdBadgeIssue issues a badge and prints its text, the only copy
// (central keeps its hash). By default the member's other badges are
// revoked (a reissue after a loss: DESIGN.md); --keep adds a badge (a card
// and a phone).
func cmdBadgeIssue(e *env, args []string) error {
	member := e.fs.Int64("member", 0, "member id")
	png := e.fs.String("png", "", "also write the QR code to this PNG file")
	keep := e.fs.Bool("keep", false, "keep the member's other badges valid (default: revoke them)")
	replace := e.fs.Bool("replace", true, "revoke the member's other badges (the default; --keep is --replace=false)")
	db, err := e.start(args, "member")
	if err != nil {
		return err
	}
	_, secret, err := db.Badge.IssueBadge(e.ctx, *member, *replace && !*keep)
	if err != nil {
		return err
	}
	if *png != "" {
		if err := writeQR(*png, secret.Text()); err != nil {
			return fmt.Errorf("badge issued, but the PNG was not written (revoke it and issue again): %w", err)
		}
	}
	fmt.Fprintln(e.stdout, secret.Text())
	return nil
}

// writeQR writes text as a QR code PNG: alphanumeric mode (the badge text
// is upper case base45), error correction Q, mode 0600 since it is a
// credential.
func writeQR(path, text string) error {
	q, err := qrcode.New(text, qrcode.High) // High is level Q (25%)
	if err != nil {
		return err
	}
	data, err := q.PNG(pngSize)
	if err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o600)
}

// cmdBadgePhone adds a phone badge to a member and prints its id.
func cmdBadgePhone(e *env, args []string) error {
	member := e.fs.Int64("member", 0, "member id")
	db, err := e.start(args, "member")
	if err != nil {
		return err
	}
	b, err := db.Badge.IssuePhoneBadge(e.ctx, *member)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, b.ID)
	return nil
}

// maxCodes bounds badge codes --count: a week of 30-second windows.
const maxCodes = 7 * 24 * 120

// cmdBadgeCodes prints a phone badge's codes for --count windows from
// --from, exactly as the phone shows them (support, scripts, tests).
func cmdBadgeCodes(e *env, args []string) error {
	id := e.fs.Int64("badge", 0, "phone badge id")
	fromFlag := e.fs.String("from", "", "start time, RFC 3339 (e.g. 2026-12-04T10:00:00+01:00)")
	count := e.fs.Int("count", 1, "how many codes (30-second windows)")
	db, err := e.start(args, "badge", "from")
	if err != nil {
		return err
	}
	from, err := time.Parse(time.RFC3339, *fromFlag)
	if err != nil {
		return usagef("--from: %q is not an RFC 3339 time such as 2026-12-04T10:00:00+01:00", *fromFlag)
	}
	if *count < 1 || *count > maxCodes {
		return usagef("--count: from 1 to %d", maxCodes)
	}
	codes, err := phoneCodes(e, db, *id, from, *count)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, strings.Join(codes, "\n"))
	return nil
}

// phoneCodes returns the codes of a valid phone badge.
func phoneCodes(e *env, db *database, id int64, from time.Time, count int) ([]string, error) {
	b, err := findBadge(e, db, id)
	if err != nil {
		return nil, err
	}
	if err := b.CanShowCodes(); err != nil {
		return nil, err
	}
	key, err := db.SigningKey()
	if err != nil {
		return nil, err
	}
	return central.PhoneCodes(key, b.ID, from, count), nil
}

func findBadge(e *env, db *database, id int64) (*central.Badge, error) {
	bs, _, err := db.Badge.FindBadges(e.ctx, central.BadgeFilter{ID: &id, Limit: 1})
	if err != nil {
		return nil, err
	}
	if len(bs) == 0 {
		return nil, central.Errorf(central.ENOTFOUND, "Badge %d not found.", id)
	}
	return bs[0], nil
}

// cmdBadgeRevoke revokes a badge given by its text (BG1:...) or id.
func cmdBadgeRevoke(e *env, args []string) error {
	which := e.fs.String("badge", "", "the badge's text (BG1:...) or id")
	db, err := e.start(args, "badge")
	if err != nil {
		return err
	}
	badges := db.Badge
	id, err := strconv.ParseInt(strings.TrimSpace(*which), 10, 64)
	if err != nil {
		h, perr := badge.HashText(strings.TrimSpace(*which))
		if perr != nil {
			return central.Errorf(central.EINVALID, "--badge: %q is neither a badge id nor a badge text (BG1:...).", *which)
		}
		b, err := badges.FindBadgeByHash(e.ctx, h)
		if err != nil {
			return err
		}
		id = b.ID
	}
	_, err = badges.RevokeBadge(e.ctx, id)
	return err
}
