package main

import (
	"github.com/badgeuse/badgeuse/kiosk"
	"github.com/badgeuse/badgeuse/shared/wire"
)

// kioskEnrollment is what the kiosk keeps of central's enrollment answer.
func kioskEnrollment(central string, r wire.EnrollResponse) kiosk.Enrollment {
	return kiosk.Enrollment{Central: central, KioskID: r.KioskID, KioskName: r.KioskName, Space: r.Space, Token: r.KioskToken}
}

// enrolledSpace names the kiosk's space in kioskd enroll's message: its
// current name (SpaceName), or Space from an older central that sends
// none (the space's first name once renamed, until the first sync).
func enrolledSpace(r wire.EnrollResponse) string {
	if r.SpaceName != "" {
		return r.SpaceName
	}
	return r.Space
}
