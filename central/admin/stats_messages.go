package admin

// The statistics page's messages (stats.go, templates/views/stats.html).
var _ = addMessages(map[string][2]string{
	"nav.stats":   {"Statistiques", "Statistics"},
	"stats.title": {"Statistiques", "Statistics"},
	"stats.intro": {"Chaque graphique a ses chiffres dans un tableau (« Voir les chiffres ») et en CSV.",
		"Each chart has its numbers in a table (“See the numbers”) and as CSV."},
	"stats.numbers": {"Voir les chiffres", "See the numbers"},
	"stats.csv":     {"Télécharger en CSV", "Download as CSV"},
	"stats.show":    {"Afficher", "Show"},
	"stats.empty":   {"Pas encore de données sur cette période.", "No data for this period yet."},
	"stats.bar":     {"%s : %s", "%s: %s"},
	"stats.max":     {"Échelle de 0 à %s.", "Scale from 0 to %s."},

	"stats.days":       {"Visites par jour", "Visits per day"},
	"stats.days_desc":  {"Nombre de visites (un membre compté une fois par jour) pour chacun des 90 derniers jours.", "Number of visits (a member counted once a day) on each of the last 90 days."},
	"stats.weeks":      {"Visites par semaine", "Visits per week"},
	"stats.weeks_desc": {"Nombre de visites de chaque semaine (du lundi au dimanche) sur un an.", "Number of visits of each week (Monday to Sunday) over a year."},
	"stats.week_of":    {"Semaine du %s", "Week of %s"},
	"stats.visits":     {"Visites", "Visits"},

	"stats.members":      {"Membres venus par mois", "Members who came, per month"},
	"stats.guests":       {"Invité·es venu·es par mois", "Guests who came, per month"},
	"stats.guests_desc":  {"Nombre d’invité·es (pass invité utilisé à la borne) venu·es dans le mois, sur les 12 derniers mois ; ils ne comptent pas parmi les membres.", "Number of guests (a guest pass used at the door) who came in the month, over the last 12 months; they are not counted among members."},
	"stats.guest_count":  {"Invité·es", "Guests"},
	"csv.guests":         {"Invité·es", "Guests"},
	"stats.members_desc": {"Nombre de membres différents venus au moins une fois dans le mois, sur les 12 derniers mois.", "Number of different members who came at least once in the month, over the last 12 months."},
	"stats.member_count": {"Membres", "Members"},

	"stats.sales":         {"Ventes par mois", "Sales per month"},
	"stats.sales_desc":    {"Recettes de chaque mois (cartes et abonnements, hors remboursements), sur les 12 derniers mois.", "Revenue of each month (cards and subscriptions, refunds left out), over the last 12 months."},
	"stats.cards":         {"Cartes", "Cards"},
	"stats.subscriptions": {"Abonnements", "Subscriptions"},
	"stats.revenue":       {"Recettes", "Revenue"},

	"stats.owed":      {"Entrées restantes sur les cartes", "Entries left on cards"},
	"stats.owed_text": {"Les membres ont encore %s entrée(s) à utiliser sur %s carte(s) en cours : ce sont des visites déjà payées, que l’association leur doit.", "Members still have %s entrie(s) to use on %s current card(s): visits already paid for, which the association owes them."},

	"stats.heat":           {"Affluence par jour et par heure", "Attendance by day and hour"},
	"stats.heat_desc":      {"Passages acceptés aux bornes, par jour de la semaine et heure de la journée, sur les %d derniers jours. Plus la case est foncée, plus il y a eu de passages.", "Accepted entries at the kiosks, by day of the week and hour of the day, over the last %d days. The darker the cell, the more entries."},
	"stats.heat_retention": {"Les entrées ne sont gardées que %d jours (réglage de conservation) : la carte ne peut pas remonter plus loin.", "Entries are kept only %d days (retention setting): the map cannot go further back."},
	"stats.heat_cell":      {"%s, %d h : %s passage(s)", "%s, %d:00: %s entrie(s)"},
	"stats.hour":           {"Heure", "Hour"},
	"stats.weekday":        {"Jour", "Day"},

	// The CSV headers for people (csv.go).
	"csv.day":           {"Jour", "Day"},
	"csv.visits":        {"Visites", "Visits"},
	"csv.week_start":    {"Semaine du", "Week of"},
	"csv.month":         {"Mois", "Month"},
	"csv.members":       {"Membres", "Members"},
	"csv.cards":         {"Cartes", "Cards"},
	"csv.subscriptions": {"Abonnements", "Subscriptions"},
	"csv.amount":        {"Montant", "Amount"},
	"csv.weekday":       {"Jour de la semaine (1 = lundi)", "Day of the week (1 = Monday)"},
	"csv.hour":          {"Heure", "Hour"},

	"weekday.1": {"lundi", "Monday"}, "weekday.2": {"mardi", "Tuesday"}, "weekday.3": {"mercredi", "Wednesday"},
	"weekday.4": {"jeudi", "Thursday"}, "weekday.5": {"vendredi", "Friday"}, "weekday.6": {"samedi", "Saturday"},
	"weekday.0":       {"dimanche", "Sunday"},
	"weekday_short.1": {"lun.", "Mon"}, "weekday_short.2": {"mar.", "Tue"}, "weekday_short.3": {"mer.", "Wed"},
	"weekday_short.4": {"jeu.", "Thu"}, "weekday_short.5": {"ven.", "Fri"}, "weekday_short.6": {"sam.", "Sat"},
	"weekday_short.0": {"dim.", "Sun"},
	"month_short.1":   {"janv.", "Jan"}, "month_short.2": {"févr.", "Feb"}, "month_short.3": {"mars", "Mar"},
	"month_short.4": {"avr.", "Apr"}, "month_short.5": {"mai", "May"}, "month_short.6": {"juin", "Jun"},
	"month_short.7": {"juil.", "Jul"}, "month_short.8": {"août", "Aug"}, "month_short.9": {"sept.", "Sep"},
	"month_short.10": {"oct.", "Oct"}, "month_short.11": {"nov.", "Nov"}, "month_short.12": {"déc.", "Dec"},
})
