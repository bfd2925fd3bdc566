//go:build !race

package qrtest_test

const raceEnabled = false
