//go:build race

package qrtest_test

// raceEnabled: the race detector slows the wild generator's pure-Go
// rendering about tenfold (a frame takes a second), so the tests that draw
// many wild frames run without it (make test runs them apart).
const raceEnabled = true
