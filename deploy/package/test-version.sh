#!/bin/sh
# Checks deploy/version.sh in throwaway git repositories (make
# test-packages): every version it prints is a valid semantic version, a
# shallow clone without tags (CI's checkout) gets the same version as a
# full one, and dpkg orders the packages' versions as a volunteer's
# upgrades need: dev builds by commit, then the release, then commits
# after it, then the next release. With DIST, also that the .debs there
# carry the Debian form of their file name's version (nfpm writes the
# semver pre-release "-dev…" as "~dev…", which sorts before the release).
#   deploy/package/test-version.sh [DIST]
set -eu
here=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
step() { echo "test-version: $*"; }
fail() { echo "test-version: FAIL: $*" >&2; exit 1; }
# semver.org's regular expression (POSIX ERE form).
semver='^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-((0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*)(\.(0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*))*))?(\+([0-9a-zA-Z-]+(\.[0-9a-zA-Z-]+)*))?$'
deb() { echo "$1" | sed 's/-/~/'; } # nfpm's Debian form of a semver version
version() {
	v=$("$1/deploy/version.sh")
	echo "$v" | grep -Eq "$semver" || fail "$v is not a semantic version"
	echo "$v"
}
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.org GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.org
repo=$tmp/repo
mkdir -p "$repo/deploy" "$tmp/plain/deploy"
cp "$here/deploy/version.sh" "$repo/deploy/" && cp "$here/deploy/version.sh" "$tmp/plain/deploy/"
[ "$(version "$tmp/plain")" = 0.0.0-dev ] || fail "not a git checkout: $(version "$tmp/plain")"
git -C "$repo" init -q
commit() { # commit N, at 10:00 UTC on day N of December 2026
	echo "$1" >"$repo/file"
	git -C "$repo" add -A
	GIT_COMMITTER_DATE="2026-12-$(printf %02d "$1")T10:00:00Z" git -C "$repo" commit -q -m "commit $1"
}
commit 1
v1=$(version "$repo")
[ "$v1" = "0.0.0-dev.20261201100000+$(git -C "$repo" rev-parse --short=12 HEAD)" ] || fail "no tag: $v1"
commit 2
v2=$(version "$repo")
echo 2b >"$repo/file"
case $(version "$repo") in "$v2.dirty") ;; *) fail "uncommitted changes: $(version "$repo")" ;; esac
git -C "$repo" checkout -q file
git clone -q --depth 1 "file://$repo" "$tmp/shallow"
[ "$(version "$tmp/shallow")" = "$v2" ] || fail "a shallow clone says $(version "$tmp/shallow"), the full one $v2"
git -C "$repo" tag v0.1.0
r1=$(version "$repo")
[ "$r1" = 0.1.0 ] || fail "on v0.1.0: $r1"
commit 3
a1=$(version "$repo")
[ "$a1" = "0.1.0+1.g$(git -C "$repo" rev-parse --short=12 HEAD)" ] || fail "1 commit after v0.1.0: $a1"
commit 4
a2=$(version "$repo")
case $a2 in 0.1.0+2.g*) ;; *) fail "2 commits after v0.1.0: $a2" ;; esac
for i in 5 6 7 8 9 10 11 12; do commit $i; done
a10=$(version "$repo")
case $a10 in 0.1.0+10.g*) ;; *) fail "10 commits after v0.1.0: $a10" ;; esac
git -C "$repo" tag v0.1.1
r2=$(version "$repo")
[ "$r2" = 0.1.1 ] || fail "on v0.1.1: $r2"
prev=""
for v in "$v1" "$v2" "$r1" "$a1" "$a2" "$a10" "$r2"; do
	if [ -n "$prev" ]; then
		dpkg --compare-versions "$(deb "$prev")" lt "$(deb "$v")" || fail "dpkg orders $(deb "$prev") after $(deb "$v")"
	fi
	prev=$v
done
step "OK: $v1 < $v2 < $r1 < $a1 < $a2 < $a10 < $r2 for dpkg, a shallow clone the same"
if [ -n "${1:-}" ]; then
	for f in "$1"/*.deb; do
		name=$(basename "$f" .deb)
		v=${name#*_}
		v=${v%_*}
		got=$(dpkg-deb -f "$f" Version)
		[ "$got" = "$(deb "$v")" ] || fail "$f has Version $got, want $(deb "$v")"
	done
	step "OK: the packages in $1 are version $(deb "$v") ($v)"
fi
