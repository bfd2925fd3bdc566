#!/bin/sh
# Writes THIRD_PARTY_NOTICES: every Go module linked into kioskd and
# centrald, with its version, its license (named from its license file)
# and that file's full text, as the licenses ask of binary copies. Also
# lists the C libraries kioskd links dynamically (Debian's OpenCV: their
# notices are in the Debian packages that install them).
# Run by make notices; run it after changing go.mod.
set -eu
cd "$(dirname "$0")/.."
out=${1:-THIRD_PARTY_NOTICES}
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
# Modules of the packages the two binaries link (not tests, not tools).
go list -deps -f '{{with .Module}}{{if not .Main}}{{.Path}} {{.Version}} {{.Dir}}{{end}}{{end}}' \
	./kiosk/cmd/kioskd ./central/cmd/centrald | sort -u >"$tmp"
license_name() {
	f=$1
	if grep -q "Apache License" "$f"; then echo "Apache-2.0"
	elif grep -q "Mozilla Public License" "$f"; then echo "MPL-2.0"
	elif grep -q "GNU AFFERO" "$f"; then echo "AGPL-3.0"
	elif grep -q "GNU LESSER" "$f"; then echo "LGPL"
	elif grep -qi "Permission is hereby granted, free of charge" "$f"; then echo "MIT"
	elif grep -q "Neither the name" "$f"; then echo "BSD-3-Clause"
	elif grep -qi "Redistribution and use in source and binary forms" "$f"; then echo "BSD-2-Clause"
	elif grep -qi "ISC License\|Permission to use, copy, modify, and/or distribute" "$f"; then echo "ISC"
	else echo "see text"
	fi
}
{
	echo "Third-party software in the Badgeuse binaries (kioskd, centrald)"
	echo "================================================================"
	echo
	echo "Badgeuse itself is under the GNU Affero General Public License v3 or later (LICENSE)."
	echo "The binaries embed the Go standard library (BSD-3-Clause, Copyright The Go Authors)"
	echo "and the Go modules below. kioskd also links Debian's OpenCV 4.6 libraries"
	echo "(Apache-2.0, installed as Debian packages with their own notices)."
	echo
	echo "Code adapted from gozxing in Badgeuse's own source: parts of kiosk/qr are"
	echo "rewritten for speed from github.com/makiuchi-d/gozxing (MIT, Copyright (c) 2018"
	echo "Daisuke MAKIUCHI), itself a port of ZXing (Apache-2.0, Copyright 2007-2018 ZXing"
	echo "authors); both notices are below. They keep the algorithms and give the same"
	echo "results as the originals (each file's tests compare them), with changed code,"
	echo "except where noted:"
	echo "  kiosk/qr/binarizer.go  ZXing's HybridBinarizer"
	echo "  kiosk/qr/global.go     ZXing's GlobalHistogramBinarizer"
	echo "  kiosk/qr/finder.go     gozxing's FinderPatternFinder.Find and foundPatternCross"
	echo "  kiosk/qr/patternfinder.go  gozxing's FinderPatternFinder (cross-checks, choice"
	echo "                         of three); its tolerance on a pattern's height is a"
	echo "                         parameter, wider for frames (steeply tilted codes)"
	echo "  kiosk/qr/multi.go      gozxing's MultiFinderPatternFinder.FindMulti and"
	echo "                         selectMultipleBestPatterns"
	echo "They are distributed under Badgeuse's license with those notices kept"
	echo "(Apache-2.0 code may be combined into a work under the GNU AGPL v3)."
	echo
	echo "Summary (module, version, license):"
	echo
	while read -r path version dir; do
		lic=$(ls "$dir" 2>/dev/null | grep -iE '^(LICEN[CS]E|COPYING)' | head -1 || true)
		if [ -n "$lic" ]; then name=$(license_name "$dir/$lic"); else name="no license file"; fi
		printf '  %-45s %-38s %s\n' "$path" "$version" "$name"
	done <"$tmp"
	echo
	while read -r path version dir; do
		lic=$(ls "$dir" 2>/dev/null | grep -iE '^(LICEN[CS]E|COPYING)' | head -1 || true)
		[ -n "$lic" ] || continue
		echo "----------------------------------------------------------------"
		echo "$path $version ($lic)"
		echo "----------------------------------------------------------------"
		cat "$dir/$lic"
		echo
	done <"$tmp"
} >"$out"
echo "$out: $(wc -l <"$tmp") modules"
