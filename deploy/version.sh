#!/bin/sh
# Prints the semantic version make stamps into the binaries and packages,
# from the newest git tag vMAJOR.MINOR.PATCH (see shared/version):
#   on the tag v1.2.0            1.2.0
#   3 commits after it           1.2.0+3.g0123456789ab
#   no tag                       0.0.0-dev.20261204211119+0123456789ab
#   uncommitted changes          … .dirty appended to the build part
#   not a git checkout           0.0.0-dev
# Without a tag (a fresh clone, CI's shallow checkout) the pre-release
# part is the commit's time (UTC): later commits sort later, for semver and
# for dpkg (the .deb's version is 0.0.0~dev.DATE+HASH, before any release),
# and a shallow clone gives the same version as a full one. Build
# metadata (after +) does not order semver versions; dpkg orders them, so
# 1.2.0 < 1.2.0+3.g… < 1.2.0+10.g… < 1.2.1 (deploy/package/test-version.sh).
# A release: add a section to CHANGELOG.md, then git tag v1.2.0.
set -eu
cd "$(dirname "$0")/.."
hash=$(git rev-parse --short=12 HEAD 2>/dev/null) || { echo 0.0.0-dev; exit 0; }
dirty=""
git diff --quiet HEAD -- 2>/dev/null || dirty=".dirty"
if d=$(git describe --tags --match 'v[0-9]*.[0-9]*.[0-9]*' --long 2>/dev/null); then
	# v1.2.0-3-g0123456789ab
	tag=${d%-*-g*}
	rest=${d#"$tag"-}
	n=${rest%%-*}
	v=${tag#v}
	if [ "$n" = 0 ] && [ -z "$dirty" ]; then
		echo "$v"
	elif [ "$n" = 0 ]; then
		echo "$v+$dirty" | sed 's/+\./+/'
	else
		echo "$v+$n.g$hash$dirty"
	fi
else
	when=$(TZ=UTC git show -s --format=%cd --date=format-local:%Y%m%d%H%M%S HEAD)
	echo "0.0.0-dev.$when+$hash$dirty"
fi
