package admin_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/badgeuse/badgeuse/central"
)

// TestBrowserSettlementInvoices (issue 14): the settlement page's
// invoices between spaces, which TestBrowserPhoneRules' admin without
// billing never shows, follow the phone rules at 390 px and on a desktop
// (no sideways scroll, tap targets of 44 px, axe-core, no English on the
// French page): La Cantine's first invoice made, then two visits synced
// late, the complement offered, its confirmation open.
func TestBrowserSettlementInvoices(t *testing.T) {
	axe := axeSource(t)
	ctx := browserFor(t, 2*time.Minute)
	b := newBillingEnv(t)
	_, cantine, _ := b.cantineInvoices(t)
	if ok, err := b.worker.RequestSettlementInvoice(b.ctx(), "2026-11", cantine.ID, 1, 1, 350); err != nil || !ok {
		t.Fatalf("first invoice: %v, %v", ok, err)
	}
	if _, err := b.worker.RunOnce(b.ctx()); err != nil {
		t.Fatal(err)
	}
	lateVisits(t, b.env, cantine, start.Add(24*time.Hour), start.Add(48*time.Hour))

	mustDo(t, ctx, "inject axe", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: axe})
		return err
	}))
	setSession(t, ctx, b.env, b.as(central.RoleTreasurer))
	pc := &phoneCrawl{t: t, ctx: ctx, base: b.ts.URL, role: "treasurer", english: englishOnlyWords(), seen: map[string]bool{},
		forms: map[string]phoneForm{}}
	pc.visit("/settlement?month=2026-11")
	text := bodyText(t, ctx)
	for _, want := range []string{"Facture 1\u00a0: 1 visite,", "2 de plus que facturé", "Facturer le complément"} {
		if !strings.Contains(text, want) {
			t.Errorf("page lacks %q:\n%s", want, text)
		}
	}
	// The confirmation open: its button fits too.
	for _, v := range viewports {
		mustDo(t, ctx, "open the confirmation at "+v.name, chromedp.EmulateViewport(v.w, v.h),
			chromedp.Navigate(b.ts.URL+"/settlement?month=2026-11"),
			chromedp.Click(chromedp.CSS(`section[aria-labelledby="settlement-invoices"] details.confirm summary`)))
		raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](phoneCheckJS, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatal(err)
		}
		var rep phoneReport
		if err := json.Unmarshal([]byte(raw), &rep); err != nil {
			t.Fatalf("check's report: %v\n%s", err, raw)
		}
		if rep.Overflow != "" || len(rep.Small) > 0 || len(rep.Axe) > 0 {
			t.Errorf("the confirmation open at %s: overflow %q, small %v, axe %v", v.name, rep.Overflow, rep.Small, rep.Axe)
		}
		if !strings.Contains(rep.Text, "une facture complémentaire de 7,00") {
			t.Errorf("the confirmation at %s:\n%s", v.name, rep.Text)
		}
	}
}
