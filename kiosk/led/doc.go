// Package led shows what the kiosk decided to the person at the door: on
// LEDs, a buzzer and a door relay wired to the Raspberry Pi's GPIO pins
// ([LED], through periph.io), or as one line per scan on a console
// ([Console], for machines without GPIO and for the demo). Both implement
// kiosk.Indicator.
//
// # What the door shows
//
// Accepted (any reason: a member, a guest, an event's ticket or registered
// member): the green LED stays on 2 s, the buzzer gives one short beep, and
// the door relay (if wired) releases the door strike for 3 s.
//
// Refused: the red LED blinks a pattern that tells why, and the buzzer gives
// one long beep (0.5 s):
//
//	red LED                          reason                                  what to do
//	1 long (1.5 s)                   not a badge, damaged badge              show the Badgeuse badge, not another QR code
//	2 blinks                         unknown badge                           ask the bureau to register the badge
//	3 fast blinks                    badge revoked (lost, replaced)          use the new badge
//	4 blinks                         membership suspended or archived        see the bureau
//	2 long blinks                    no entries left, subscription expired   buy a card or renew the subscription
//	3 slow blinks                    closed (outside opening hours)          come back during opening hours
//	1 long, then 2 short             kiosk out of date (no sync for too long) tell the bureau: the kiosk needs network
//	1 short, then 2 long             dues (adhésion) not paid or expired     renew the membership (door.require_membership)
//	1 long, then fault flashes       kiosk cannot record (disk full)         tell the bureau: free space on the kiosk
//	2 short, then 1 long             phone code or guest pass out of date    open the badge page again (a screenshot expires); a guest pass holds its day only,
//	                                 or event ticket outside its hours       an event ticket its event's hours (from 30 min before)
//	5 very fast blinks               already inside (anti-passback)          the badge came in a moment ago: one badge, one person
//	2 long, then 1 short             pass not valid at this space            use it at the space that sold it, or buy one valid here;
//	                                 (or event ticket of another space)      an event ticket at its event's space
//
// A refusal for a reason this program does not know yet (from a newer
// central) shows as 1 long, like "not a badge".
//
// Fault (the camera is missing or broken, …): the red LED flashes briefly
// every 2 s until the problem is gone. A scan still shows its pattern; the
// fault flashes resume after it.
//
// A newer scan cuts a pattern still running and starts its own at once.
//
// # Wiring
//
// Every output is optional, but at least one LED is needed; wire both so
// that refusals can be seen. The buzzer is an active buzzer (it beeps when
// powered). The door relay must go through a relay module or a transistor:
// never drive a door strike from a GPIO pin. Outputs are on when their pin
// is high; Config.RelayActiveLow and Config.BuzzerActiveLow serve modules
// that switch on when their input is low. See deploy/pi-setup.md.
//
// [New] takes the pins as gpio.PinOut: the caller (kioskd) calls host.Init
// and gpioreg.ByName, and tests pass gpiotest.Pin values.
package led
