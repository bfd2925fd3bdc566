package admin

import (
	"net/url"
	"strconv"
)

// perPage is the length of a list's page.
const perPage = 50

// pager is the navigation of a paged list: which page, how many, and the
// links to the previous and next pages (with the list's filters).
type pager struct {
	Page, Pages, Total int
	More               bool   // Total is a lower bound (a count that stopped)
	Prev, Next         string // "" when none
}

// pageOf reads ?page= (1-based) and returns the page and its offset.
func pageOf(q url.Values) (int, int) {
	n, err := strconv.Atoi(q.Get("page"))
	if err != nil || n < 1 || n > 100000 {
		n = 1
	}
	return n, (n - 1) * perPage
}

func newPager(path string, q url.Values, page, total int) pager {
	p := pager{Page: page, Total: total, Pages: (total + perPage - 1) / perPage}
	if p.Pages == 0 {
		p.Pages = 1
	}
	link := func(n int) string {
		v := url.Values{}
		for k, vs := range q {
			if k != "page" && k != "done" {
				v[k] = vs
			}
		}
		if n > 1 {
			v.Set("page", strconv.Itoa(n))
		}
		if len(v) == 0 {
			return path
		}
		return path + "?" + v.Encode()
	}
	if page > 1 {
		p.Prev = link(page - 1)
	}
	if page < p.Pages {
		p.Next = link(page + 1)
	}
	return p
}
