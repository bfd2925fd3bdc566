package admin

// Messages of the donations page (donations.go).
var _ = addMessages(map[string][2]string{
	"donations.title":     {"Dons", "Donations"},
	"donations.help":      {"Les dons reçus sur HelloAsso (formulaires de don, ou don ajouté au paiement d’un autre formulaire) : ils ne sont pas des ventes et ne créditent personne. Un don remboursé ne compte pas.", "Donations received on HelloAsso (donation forms, or a donation added to the payment of another form): they are not sales and credit no one. A refunded donation does not count."},
	"donations.sum":       {"%d don(s) cette année : %s", "%d donation(s) this year: %s"},
	"donations.donor":     {"Donateur ou donatrice", "Donor"},
	"donations.none":      {"Aucun don cette année.", "No donations this year."},
	"donations.none_ever": {"Aucun don reçu pour l’instant.", "No donations received yet."},
	"donations.years":     {"Totaux par année", "Totals per year"},
	"donations.year":      {"Année", "Year"},
	"donations.count":     {"Dons", "Donations"},
	"donations.donors":    {"Donateurs", "Donors"},
	"donation.kept":       {"Reçu", "Received"},
	"donation.refunded":   {"Remboursé", "Refunded"},
	"donation.gift":       {"Don", "Donation"},
	"csv.donor":           {"Donateur", "Donor"},
	"csv.address":         {"Adresse", "Address"},
	"csv.zip":             {"Code postal", "Postcode"},
	"csv.city":            {"Ville", "City"},
	"csv.country":         {"Pays", "Country"},
	"csv.form":            {"Formulaire", "Form"},
})
