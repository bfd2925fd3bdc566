//go:build race

package main

// raceEnabled: the tests run under the race detector (sizes are cut).
const raceEnabled = true
