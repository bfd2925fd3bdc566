//go:build race

package qr

// raceOn is set when the race detector is: the slow tests skip.
const raceOn = true
