package main

import (
	"github.com/badgeuse/badgeuse/kiosk"
	"github.com/badgeuse/badgeuse/shared/wire"
)

// kioskEnrollment is what the kiosk keeps of central's enrollment answer.
func kioskEnrollment(central string, r wire.EnrollResponse) kiosk.Enrollment {
	return kiosk.Enrollment{Central: central, KioskID: r.KioskID, KioskName: r.KioskName, Space: r.Space, Token: r.KioskToken}
}
