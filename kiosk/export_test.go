package kiosk

import "time"

// SlowCameraRetry makes a failing camera wait an hour before its first
// retry, for a test that must tell "ended at once" from "waited to retry"
// without a race against the clock; it returns the undo.
func SlowCameraRetry() (restore func()) {
	was := cameraRetry
	cameraRetry.Min, cameraRetry.Max = time.Hour, time.Hour
	return func() { cameraRetry = was }
}
