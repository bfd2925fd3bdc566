package admin

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"net/http"
	"strings"
)

// The pages link their stylesheet and scripts with a version taken from
// the file's content (/static/style.css?v=3f2a9c0b1d4e), computed once
// at start: after an upgrade the pages ask for the new files' addresses,
// never a copy the browser kept of the old ones, and a versioned address
// is cached for a year. The address without ?v= (or with an old one)
// stays valid, revalidated each time (its ETag is the same hash): the
// phone badge's service worker keeps its copies under the addresses
// without ?v= (static/phone-sw.js).

// staticVersions maps each file of static/ (style.css) to its version.
var staticVersions = hashStatic()

func hashStatic() map[string]string {
	m := map[string]string{}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		m[strings.TrimPrefix(p, "static/")] = hex.EncodeToString(sum[:6])
		return nil
	})
	if err != nil {
		panic("admin: static files: " + err.Error()) // embedded: cannot happen
	}
	return m
}

// staticURL is the versioned address of a file of static/ ("style.css").
func staticURL(name string) string {
	v, ok := staticVersions[name]
	if !ok {
		panic("admin: no static file " + name) // a template's or a handler's typo, caught by any test of its page
	}
	return "/static/" + name + "?v=" + v
}

// cacheStatic serves a file of static/ (its path without /static/): a
// year and immutable at its current version's address, revalidated
// otherwise.
func cacheStatic(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if v, ok := staticVersions[r.URL.Path]; ok {
			w.Header().Set("ETag", `"`+v+`"`)
			if r.URL.Query().Get("v") == v {
				w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
			} else {
				w.Header().Set("Cache-Control", "no-cache")
			}
		}
		h.ServeHTTP(w, r)
	})
}
