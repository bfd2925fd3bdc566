package admin

import "time"

// SetResourcesRead sets how many bookings /resources reads (bookings.go),
// so that a test cuts its list with a few.
func (s *Server) SetResourcesRead(n int) { s.resourcesRead = n }

// HoldDrawings takes every phone codes' drawing slot (self_phone.go), as
// requests drawing codes would, and sets how long others wait for one;
// the function returned gives them back.
func (s *Server) HoldDrawings(wait time.Duration) (release func()) {
	old := drawWait
	drawWait = wait
	for range cap(s.drawings) {
		s.drawings <- struct{}{}
	}
	return func() {
		for range cap(s.drawings) {
			<-s.drawings
		}
		drawWait = old
	}
}
