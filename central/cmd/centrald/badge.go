package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"

	qrcode "github.com/skip2/go-qrcode"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/sqlite"
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
	_, secret, err := sqlite.NewBadgeService(db).IssueBadge(e.ctx, *member, *replace && !*keep)
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

// cmdBadgeRevoke revokes a badge given by its text (BG1:...) or id.
func cmdBadgeRevoke(e *env, args []string) error {
	which := e.fs.String("badge", "", "the badge's text (BG1:...) or id")
	db, err := e.start(args, "badge")
	if err != nil {
		return err
	}
	badges := sqlite.NewBadgeService(db)
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
