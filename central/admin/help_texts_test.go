package admin_test

import (
	"testing"

	"github.com/badgeuse/badgeuse/central"
)

// TestHelpTextsNameSettingsByLabel: the help texts of the products,
// spaces, settlement and donations pages name a setting as the settings
// pages show it, and where it is (« Réglages > … »), never by its key;
// they show no command line a volunteer does not need.
func TestHelpTextsNameSettingsByLabel(t *testing.T) {
	e := newEnv(t)
	e.seedNetwork()
	c := e.as(central.RoleAdmin)
	_, body := c.get("/products")
	mustContain(t, body, "Réglages &gt; Adhésion &gt; «\u00a0Adhésion à l’année\u00a0: date de bascule\u00a0»")
	mustNotContain(t, body, "membership.cutoff")
	_, settings := c.get("/settings") // where the help says it is
	mustContain(t, settings, `<h2 id="g-membership">Adhésion</h2>`, "<legend>Adhésion à l’année\u00a0: date de bascule</legend>")

	_, body = c.get("/spaces")
	mustContain(t, body, "Vides\u00a0: le salon de Réglages &gt; Slack («\u00a0ID du salon des arrivées\u00a0»)")
	mustNotContain(t, body, "slack.channel")
	_, slackPage := c.get("/settings/slack")
	mustContain(t, slackPage, "<h1>Slack</h1>", "ID du salon des arrivées")

	_, body = e.as(central.RoleTreasurer).get("/settlement?month=2026-11")
	mustContain(t, body, "Les montants de cette page en découlent.")
	mustNotContain(t, body, "centrald")

	c.get("/lang/en")
	_, body = c.get("/products")
	mustContain(t, body, "Settings &gt; Membership &gt; “Calendar-year membership: cut-off day”")
	_, body = c.get("/spaces")
	mustContain(t, body, "Settings &gt; Slack (“Arrivals channel ID”)")
	mustNotContain(t, body, "slack.channel")
}

// TestDonationsHelpNamesSettings: the tax receipts' help names the
// setting by its label on the billing page (« Réglages > Facturation »,
// whose title says so), not by its key nor by a page that does not exist.
func TestDonationsHelpNamesSettings(t *testing.T) {
	b, _ := newTaxReceiptsEnv(t)
	c := b.as(central.RoleAdmin)
	_, body := c.get("/donations?year=2026")
	mustContain(t, body, "Il faut «\u00a0Reçus fiscaux des dons\u00a0» à Oui et les coordonnées de l’association (Réglages &gt; Facturation, partie «\u00a0Reçus et factures\u00a0»).")
	mustNotContain(t, body, "donations.tax_receipts", "Paiements et factures", "centrald")
	_, billing := c.get("/billing")
	mustContain(t, billing, "<h1>Facturation", `<h2 id="seller">Reçus et factures</h2>`, "Reçus fiscaux des dons")
	_, settings := c.get("/settings") // the way there
	mustContain(t, settings, `href="/billing"`)
}
