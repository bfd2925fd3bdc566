package admin

// Messages returns the catalog, {French, English} by key, for the
// browser test's check that no English word shows on a French page.
func Messages() map[string][2]string { return catalog }
