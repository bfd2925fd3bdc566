// Package version names the Badgeuse release a binary is and compares
// releases. Both programs use it: kioskd and centrald print their version,
// kiosks send it to central, and central tells the bureau which kiosk runs
// a release older than it supports.
//
// Versions are semantic (https://semver.org): make dist stamps
// MAJOR.MINOR.PATCH from the newest git tag vMAJOR.MINOR.PATCH
// (deploy/version.sh), with "+N.gHASH" when N commits follow the tag, and
// "0.0.0-dev.DATE+HASH" without a tag, DATE being the commit's time in UTC
// (YYYYMMDDhhmmss): dev builds sort by commit, before every release. A
// binary built without make (go build, go test) says the same from Go's
// build information.
package version

import (
	"runtime/debug"
	"strconv"
	"strings"
	"time"
)

// Dev is the version of a build that was not stamped and has no VCS
// information.
const Dev = "0.0.0-dev"

// String returns stamped (set with -ldflags -X) or, when it is empty, the
// development version from the build information.
func String(stamped string) string {
	if stamped != "" {
		return stamped
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return Dev
	}
	rev, when, dirty := "", "", ""
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			when = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = ".dirty"
			}
		}
	}
	return devVersion(rev, when, dirty)
}

// devVersion is deploy/version.sh's version without a tag, from a commit
// hash and its time (RFC 3339, as Go's build information gives it).
func devVersion(rev, when, dirty string) string {
	if len(rev) <= 12 {
		return Dev
	}
	v := Dev
	if t, err := time.Parse(time.RFC3339, when); err == nil {
		v += "." + t.UTC().Format("20060102150405")
	}
	return v + "+" + rev[:12] + dirty
}

// Version is a parsed MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD].
type Version struct {
	Major, Minor, Patch int
	Pre                 string // "dev.20261204211119" in 0.0.0-dev.20261204211119+…; "" for a release
}

// Parse parses a semantic version, with or without a leading v. Build
// metadata (after +) is ignored, as semver says.
func Parse(s string) (Version, bool) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "v")
	s, _, _ = strings.Cut(s, "+")
	s, pre, _ := strings.Cut(s, "-")
	parts := strings.Split(s, ".")
	if len(parts) != 3 {
		return Version{}, false
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 || p == "" || (len(p) > 1 && p[0] == '0') {
			return Version{}, false
		}
		n[i] = v
	}
	return Version{n[0], n[1], n[2], pre}, true
}

// IsDev reports whether v is a development build (0.0.0-…): it says
// nothing about which release it is close to.
func (v Version) IsDev() bool { return v.Major == 0 && v.Minor == 0 && v.Patch == 0 }

// Less reports whether v comes before w. A pre-release comes before its
// release; pre-releases of one version compare as text.
func (v Version) Less(w Version) bool {
	switch {
	case v.Major != w.Major:
		return v.Major < w.Major
	case v.Minor != w.Minor:
		return v.Minor < w.Minor
	case v.Patch != w.Patch:
		return v.Patch < w.Patch
	case v.Pre == w.Pre:
		return false
	case v.Pre == "":
		return false
	case w.Pre == "":
		return true
	}
	return v.Pre < w.Pre
}

// Older reports whether the version s is a release older than min. A
// development build or a text that is not a version is not called older:
// nothing can be said of it.
func Older(s, min string) bool {
	v, ok := Parse(s)
	if !ok || v.IsDev() {
		return false
	}
	m, ok := Parse(min)
	return ok && v.Less(m)
}
