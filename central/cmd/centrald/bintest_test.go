package main

import (
	"testing"

	"github.com/badgeuse/badgeuse/shared/bintest"
)

// TestMain removes the centrald built by the binary tests (bintest.Build).
func TestMain(m *testing.M) { bintest.Main(m) }
