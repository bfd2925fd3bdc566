//go:build race

package slack_test

// raceEnabled: the race detector slows the store (pure Go SQLite) by about
// ten times, so timing checks are relaxed.
const raceEnabled = true
