# Badgeuse — door kiosk and central server.
#
#   make demo    build and run central + a kiosk on a demo video (try it)
#   make test    install what is missing, vet, run every test with -race
#   make bench   QR decoding, door latency, sync and admin benchmarks
#   make build   bin/kioskd (cgo, OpenCV) and bin/centrald (pure Go)
#   make cross   centrald for arm64 and armv7 (Raspberry Pi), without cgo
#   make dist    binaries and Debian packages in dist/ (see deploy/package)
#   make test-packages   install the packages in a clean Debian bookworm chroot

GO       ?= go
VERSION  := $(shell ./deploy/version.sh)
LDFLAGS  := -s -w -X main.version=$(VERSION)
export CGO_ENABLED ?= 1

# nfpm builds the .deb packages; run as a Go program at a fixed version
# (no other tool to install).
NFPM     ?= $(GO) run github.com/goreleaser/nfpm/v2/cmd/nfpm@v2.48.0
export NFPM

.PHONY: all build deps deps-build axe test vet lint bench demo cross clean screenshots dist notices notices-check test-packages

all: build

deps-build:
	@./deploy/build-deps.sh build

deps:
	@./deploy/build-deps.sh test

# axe-core, the accessibility checker that the admin's phone-rules test
# (central/admin TestBrowserPhoneRules) injects in every page: the npm
# package at a pinned version, in .cache/npm (the test names the same).
AXE_VERSION = 4.10.3
AXE = .cache/npm/axe-core-$(AXE_VERSION)/node_modules/axe-core/axe.min.js
axe: $(AXE)
$(AXE):
	npm install --prefix .cache/npm/axe-core-$(AXE_VERSION) --no-save --no-package-lock --no-audit --no-fund axe-core@$(AXE_VERSION)

build: deps-build
	$(GO) build -ldflags "$(LDFLAGS)" -o bin/kioskd ./kiosk/cmd/kioskd
	$(GO) build -o bin/badgevideo ./kiosk/cmd/badgevideo
	CGO_ENABLED=0 $(GO) build -ldflags "$(LDFLAGS)" -o bin/centrald ./central/cmd/centrald
	CGO_ENABLED=0 $(GO) build -o bin/mailcatcher ./central/cmd/mailcatcher

vet: deps
	$(GO) vet ./...
	@unformatted=$$(gofmt -l kiosk central shared); if [ -n "$$unformatted" ]; then echo "gofmt needed:" $$unformatted; exit 1; fi

test: deps axe vet cross notices-check
	$(GO) test -race -count=1 -timeout 30m ./...
	$(GO) test -race -count=1 -tags matprofile -run 'MatLeak|NoMatLeak' ./kiosk/qr/ ./kiosk/camera/
	$(GO) vet -tags qrbaseline ./kiosk/cmd/qrbench
	$(GO) test -race -count=1 -tags qrbaseline ./kiosk/cmd/qrbench
	# The wild QR frames render in pure Go, ten times slower under the race
	# detector: the decoder's tests that skip under it (raceOn) run here.
	$(GO) test -count=1 ./kiosk/qr/ ./kiosk/qr/qrtest/
	# The Slack worker's throughput floor is asserted only without the race detector.
	$(GO) test -count=1 -run '^TestThroughput$$' ./central/slack/

# What needs no cgo must build for the Pi (64- and 32-bit) without it.
cross:
	CGO_ENABLED=0 GOOS=linux GOARCH=arm64 $(GO) build -o /dev/null ./central/... ./shared/...
	CGO_ENABLED=0 GOOS=linux GOARCH=arm GOARM=7 $(GO) build -o /dev/null ./central/... ./shared/...
	CGO_ENABLED=0 GOOS=linux GOARCH=arm GOARM=7 $(GO) vet ./shared/... ./kiosk/sqlite/... ./kiosk/uplink/... ./kiosk/led/...

# Release artifacts in dist/: the bare binaries (centrald for amd64, arm64
# and armv7 without cgo; kioskd for this machine's architecture and, cross-
# compiled by deploy/kioskd-cross.sh, for arm64 and armv7 (Debian armhf)
# with cgo against Debian bookworm's OpenCV) and the Debian packages
# badgeuse-central_V_ARCH.deb and badgeuse-kiosk_V_ARCH.deb (amd64, arm64,
# armhf), V being deploy/version.sh's version.
dist: deps-build
	rm -rf dist && mkdir -p dist
	CGO_ENABLED=0 GOOS=linux GOARCH=amd64 $(GO) build -trimpath -ldflags "$(LDFLAGS)" -o dist/centrald-linux-amd64 ./central/cmd/centrald
	CGO_ENABLED=0 GOOS=linux GOARCH=arm64 $(GO) build -trimpath -ldflags "$(LDFLAGS)" -o dist/centrald-linux-arm64 ./central/cmd/centrald
	CGO_ENABLED=0 GOOS=linux GOARCH=arm GOARM=7 $(GO) build -trimpath -ldflags "$(LDFLAGS)" -o dist/centrald-linux-armv7 ./central/cmd/centrald
	CGO_ENABLED=1 $(GO) build -trimpath -ldflags "$(LDFLAGS)" -o dist/kioskd-linux-$$($(GO) env GOARCH) ./kiosk/cmd/kioskd
	[ "$$($(GO) env GOARCH)" = arm64 ] || GO=$(GO) ./deploy/kioskd-cross.sh arm64 $(VERSION) dist/kioskd-linux-arm64
	[ "$$($(GO) env GOARCH)" = arm ] || GO=$(GO) ./deploy/kioskd-cross.sh armhf $(VERSION) dist/kioskd-linux-armv7
	./deploy/package/deb.sh central $(VERSION) amd64 dist/centrald-linux-amd64
	./deploy/package/deb.sh central $(VERSION) arm64 dist/centrald-linux-arm64
	./deploy/package/deb.sh central $(VERSION) armhf dist/centrald-linux-armv7
	./deploy/package/deb.sh kiosk $(VERSION) $$(dpkg --print-architecture) dist/kioskd-linux-$$($(GO) env GOARCH)
	[ "$$($(GO) env GOARCH)" = arm64 ] || ./deploy/package/deb.sh kiosk $(VERSION) arm64 dist/kioskd-linux-arm64
	[ "$$($(GO) env GOARCH)" = arm ] || ./deploy/package/deb.sh kiosk $(VERSION) armhf dist/kioskd-linux-armv7
	@ls -l dist

# THIRD_PARTY_NOTICES, after a change of go.mod.
notices:
	./deploy/notices.sh

# The notices shipped must be what notices.sh writes now: a module the
# binaries link without its license in THIRD_PARTY_NOTICES fails make test.
notices-check:
	@f=$$(mktemp) && ./deploy/notices.sh "$$f" >/dev/null && if cmp -s "$$f" THIRD_PARTY_NOTICES; then rm -f "$$f"; \
	else diff -u THIRD_PARTY_NOTICES "$$f" | head -20; rm -f "$$f"; echo "THIRD_PARTY_NOTICES is out of date: run make notices"; exit 1; fi

# Checks the versions make dist stamps (deploy/version.sh), installs the
# packages of make dist in a fresh Debian bookworm chroot (debootstrap) and
# checks files, users, ownership and the commands, then boots it as a
# systemd-nspawn container where the services start under systemd; runs the
# arm64 and armhf kioskd under qemu-user; restores an off-site backup. A
# few minutes (the base system and sysroots are cached in /var/cache/badgeuse).
test-packages: dist
	./deploy/package/test-version.sh dist
	./deploy/package/test-install.sh dist
	./deploy/package/test-cross.sh arm64 dist ../shared/qr-photos
	./deploy/package/test-cross.sh armhf dist ../shared/qr-photos
	./deploy/package/test-offsite.sh dist/centrald-linux-$$($(GO) env GOARCH)

# Benchmarks, each compared with its baseline in the same run; tables on
# stdout (markdown). About 10 minutes on 2 cores, 5 more for the admin pages
# at 1,000,000 entries, plus a few for the QR
# decoder's unseen sets and videos (issue 16).
bench: build
	@./deploy/build-deps.sh bench
	@echo "# Badgeuse benchmarks ($(VERSION), $$(nproc) CPU, $$(date -u +%Y-%m-%d))"
	$(GO) run -tags qrbaseline ./kiosk/cmd/qrbench -photos ../shared/qr-photos -zbarimg
	$(GO) run ./kiosk/cmd/doorbench -kioskd bin/kioskd
	# The issue's admin pages at 10,000 members and 1,000,000 entries (5 minutes more than the default 250,000).
	$(GO) run ./central/cmd/syncbench -centrald bin/centrald -entries 1000000
	# The issue's migration: 10,000 members and 1,000,000 entries from SQLite to PostgreSQL (make test: a smaller association).
	BADGEUSE_MIGRATE_MEMBERS=10000 BADGEUSE_MIGRATE_ENTRIES=1000000 $(GO) test -count=1 -timeout 30m -v -run '^TestMigrateGeneratedAssociation$$' ./central/cmd/centrald/
	$(GO) test -run '^$$' -bench Pages -benchtime 100x ./central/admin/
	# Issue 14's network: 100 spaces, 200 kiosks, 50,000 members: what a kiosk's first pull carries, and the incremental pulls of all 200 kiosks after 10 changes.
	BADGEUSE_NETWORK_BENCH=100x50000 $(GO) test -count=1 -v -run '^TestNetworkPullCost$$' ./central/sqlite/
	$(GO) test -run '^$$' -bench VerifyCode ./shared/badge/

# Screenshots of the admin and of a member's portal for the README, taken by
# the browser tests, of the door screen, from a real kioskd reading a video
# (800 × 480), and of a badge on a phone, offline, from a real centrald.
screenshots:
	@./deploy/build-deps.sh screenshots
	@$(MAKE) --no-print-directory axe
	BADGEUSE_SCREENSHOTS=$(CURDIR)/deploy/screenshots $(GO) test -count=1 -run TestBrowser ./central/admin/
	BADGEUSE_SCREENSHOTS=$(CURDIR)/deploy/screenshots $(GO) test -count=1 -run TestDoorScreen ./kiosk/cmd/kioskd/
	BADGEUSE_SCREENSHOTS=$(CURDIR)/deploy/screenshots $(GO) test -count=1 -run TestPhoneBadgePageOffline ./central/cmd/centrald/

# Try it: central with a demo association and a kiosk reading a demo video
# (CAMERA=0 for a webcam). Ctrl-C stops both.
demo: build
	@CAMERA="$(CAMERA)" ./deploy/demo.sh

clean:
	rm -rf bin dist .demo
