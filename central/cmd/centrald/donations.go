package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/billing"
	"github.com/badgeuse/badgeuse/central/email"
)

// Donations' tax receipts (reçus fiscaux): "centrald donations receipts"
// lists a year's, writes their PDFs (--out) and e-mails each donor hers
// (--send), once per donor and year (the outbox key): run it in January
// for the year before. The admin's donations page has the same button.
// --space receipts the gifts of a space that keeps its own books (issue
// 14) in its association's name, as the network's are; a space without
// books of its own is refused (its gifts are the network's).

func init() {
	central.AddSettings(billing.TaxSettings...) // donations.tax_receipts, .tax_articles, association.object, .rna
	commands = append(commands,
		command{"donations receipts", "--year YYYY [--space ID|NAME] [--out DIR] [--send]",
			"the donors' tax receipts of a year (reçus fiscaux, CERFA 11580), the network's or a space's with its own books: list them; --out writes their PDFs; --send e-mails each donor hers, once",
			cmdDonationReceipts},
	)
}

func cmdDonationReceipts(e *env, args []string) error {
	year := e.fs.Int("year", 0, "the year of the donations")
	out := e.fs.String("out", "", "a folder to write the receipts' PDFs to")
	send := e.fs.Bool("send", false, "e-mail each donor her receipt (once per donor and year)")
	spaceRef := e.fs.String("space", "", "a space that keeps its own books (id or name): its association's receipts (default: the network's)")
	db, err := e.start(args, "year")
	if err != nil {
		return err
	}
	if *year < 2000 || *year > 2200 {
		return usagef("donations receipts: --year wants a year such as 2026")
	}
	var space int64 // the network's
	if *spaceRef != "" {
		sp, err := findSpace(e, db, *spaceRef)
		if err != nil {
			return err
		}
		if !sp.OwnsBooks() {
			return usagef("donations receipts: space %q keeps no books of its own: its gifts are the network's donations (no --space)", sp.Name)
		}
		space = sp.ID
	}
	if *send {
		if set, err := db.Settings.Settings(e.ctx); err != nil {
			return err
		} else if !email.ConfigFrom(set).Enabled() {
			return usagef("donations receipts: --send needs e-mail (set smtp.host and smtp.from)")
		}
	}
	rs, err := books(db).SpaceTaxReceipts(e.ctx, space, *year)
	if err != nil {
		return err
	}
	for _, r := range rs {
		note := ""
		if *out != "" {
			path := filepath.Join(*out, "recu-fiscal-"+r.Number+".pdf")
			if err := writePDFFile(path, r.WritePDF); err != nil {
				return fmt.Errorf("donations receipts: %w", err)
			}
			note = path
		}
		if *send {
			note, err = sendTaxReceipt(e.ctx, db, space, r)
			if err != nil {
				return err
			}
		}
		fmt.Fprintf(e.stdout, "%s\t%s\t%s\t%s\t%s\n", r.Number, central.Money(r.Total).Decimal(), r.Donor.Name, r.Donor.Email, note)
	}
	fmt.Fprintf(e.stderr, "%d tax receipt(s) for %d\n", len(rs), *year)
	return nil
}

// sendTaxReceipt queues a donor's receipt mail of the association of
// space (0: the network's) and says what became of it.
func sendTaxReceipt(ctx context.Context, db *database, space int64, r *billing.TaxReceipt) (string, error) {
	if r.Donor.Email == "" {
		return "no e-mail address: print it (--out)", nil
	}
	msg, err := email.SpaceTaxReceiptMessage(space, r.Year, r.DonorKey, r.Donor.Email, r.Donor.Name)
	if err != nil {
		return "", err
	}
	queued, err := db.Outbox.EnqueueOutbox(ctx, msg)
	switch {
	case err != nil:
		return "", err
	case queued:
		return "e-mail queued (centrald serve sends it)", nil
	}
	return "already e-mailed", nil
}

// writePDFFile writes a PDF through a temporary file, renamed when whole.
func writePDFFile(path string, write func(w io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".pdf-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// taxReceiptPDFs gives central/email the tax receipts central/billing
// makes.
type taxReceiptPDFs struct{ books *billing.Books }

func (t taxReceiptPDFs) TaxReceipt(ctx context.Context, space int64, year int, donor string) (*email.Receipt, error) {
	r, err := t.books.SpaceTaxReceipt(ctx, space, year, donor)
	if err != nil {
		return nil, err
	}
	var pdf bytes.Buffer
	if err := r.WritePDF(&pdf); err != nil {
		return nil, err
	}
	return &email.Receipt{Number: r.Number, Amount: r.Total, PDF: pdf.Bytes()}, nil
}

// taxReceiptSender is the admin's "send the tax receipts" button.
type taxReceiptSender struct{ db *database }

func (t taxReceiptSender) SendTaxReceipts(ctx context.Context, space int64, year int) (queued, noAddress int, err error) {
	set, err := t.db.Settings.Settings(ctx)
	if err != nil {
		return 0, 0, err
	}
	if err := email.CheckEnabled(set); err != nil {
		return 0, 0, err
	}
	rs, err := books(t.db).SpaceTaxReceipts(ctx, space, year)
	if err != nil {
		return 0, 0, err
	}
	for _, r := range rs {
		if r.Donor.Email == "" {
			noAddress++
			continue
		}
		msg, err := email.SpaceTaxReceiptMessage(space, r.Year, r.DonorKey, r.Donor.Email, r.Donor.Name)
		if err != nil {
			return queued, noAddress, err
		}
		ok, err := t.db.Outbox.EnqueueOutbox(ctx, msg)
		if err != nil {
			return queued, noAddress, err
		}
		if ok {
			queued++
		}
	}
	return queued, noAddress, nil
}
