package central

import (
	"context"
	"strconv"
)

// Erasing a member (GDPR, MemberService.EraseMember) is one rule, whatever
// the store; EraseMember below applies it, in this order:
//
//   - her entries (the door's records of her badges) are deleted first:
//     her row going would otherwise leave them behind, detached from her;
//   - her event registrations stay (an event's counts and payments need
//     them) without her name and e-mail;
//   - her payments stay (the accounts) without what they say of her: payer
//     and beneficiary names, e-mails and address;
//   - her links sent by e-mail (claim, unsubscribe, calendar feed) are
//     deleted: they name her;
//   - her row goes, with what describes only her: badges, visits, profile,
//     other e-mails, mail preferences, join requests, bookings, guest
//     passes and their visits; her sales stay, for the accounts, with no
//     member;
//   - a tombstone at the next sync version tells kiosks to forget her, and
//     the erasure is audited (without her name or e-mail).
//
// Her id is never given again (see Member).

// EraseTx is what erasing a member needs of a store, inside its write
// transaction (see ledger.go). Each method does one step of the rule
// above, for the member given.
type EraseTx interface {
	MemberExists(ctx context.Context, member int64) (bool, error)
	DeleteMemberEntries(ctx context.Context, member int64) error
	// AnonymiseRegistrations clears the name and e-mail of her event
	// registrations, which stay.
	AnonymiseRegistrations(ctx context.Context, member int64) error
	// ForgetPayer clears the payer's and beneficiary's data of her
	// payments, which stay.
	ForgetPayer(ctx context.Context, member int64) error
	// DeleteMemberLinks deletes the links sent by e-mail that name her.
	DeleteMemberLinks(ctx context.Context, member int64) error
	// DeleteMember deletes her row and what describes only her (see
	// above); her sales, payments and registrations stay with no member.
	DeleteMember(ctx context.Context, member int64) error
	// NextVersions takes n sync versions and returns the last one.
	NextVersions(ctx context.Context, n int) (last int64, err error)
	// AddTombstone records at version that she was erased, now.
	AddTombstone(ctx context.Context, member, version int64) error
	// Audit records a change made by ctx's actor; details hold no secret.
	Audit(ctx context.Context, action, object string, details any) error
}

// EraseMember erases a member in tx by the rule above. Returns ENOTFOUND
// (no such member, or erased already).
func EraseMember(ctx context.Context, tx EraseTx, id int64) error {
	if ok, err := tx.MemberExists(ctx, id); err != nil {
		return err
	} else if !ok {
		return Errorf(ENOTFOUND, "Member %d not found.", id)
	}
	for _, step := range []func(context.Context, int64) error{
		tx.DeleteMemberEntries, tx.AnonymiseRegistrations, tx.ForgetPayer, tx.DeleteMemberLinks, tx.DeleteMember,
	} {
		if err := step(ctx, id); err != nil {
			return err
		}
	}
	v, err := tx.NextVersions(ctx, 1)
	if err != nil {
		return err
	}
	if err := tx.AddTombstone(ctx, id, v); err != nil {
		return err
	}
	return tx.Audit(ctx, "member.erase", memberObject(id), nil)
}

func memberObject(id int64) string { return "member:" + strconv.FormatInt(id, 10) }
