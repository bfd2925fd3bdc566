//go:build !race

package qr_test

const raceEnabled = false
