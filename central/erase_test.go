package central_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/badgeuse/badgeuse/central"
)

// eraseLog is a central.EraseTx that records the steps it is asked for.
type eraseLog struct {
	members map[int64]bool
	steps   []string
}

func (l *eraseLog) step(name string, member int64) error {
	l.steps = append(l.steps, fmt.Sprintf("%s %d", name, member))
	return nil
}

func (l *eraseLog) MemberExists(_ context.Context, m int64) (bool, error) { return l.members[m], nil }
func (l *eraseLog) DeleteMemberEntries(_ context.Context, m int64) error {
	return l.step("entries", m)
}
func (l *eraseLog) AnonymiseRegistrations(_ context.Context, m int64) error {
	return l.step("registrations", m)
}
func (l *eraseLog) ForgetPayer(_ context.Context, m int64) error { return l.step("payer", m) }
func (l *eraseLog) DeleteMemberLinks(_ context.Context, m int64) error {
	return l.step("links", m)
}
func (l *eraseLog) DeleteMember(_ context.Context, m int64) error {
	delete(l.members, m)
	return l.step("member", m)
}
func (l *eraseLog) NextVersions(_ context.Context, n int) (int64, error) { return 41 + int64(n), nil }
func (l *eraseLog) AddTombstone(_ context.Context, m, v int64) error {
	return l.step(fmt.Sprintf("tombstone v%d", v), m)
}
func (l *eraseLog) Audit(_ context.Context, action, object string, _ any) error {
	l.steps = append(l.steps, action+" "+object)
	return nil
}

// TestEraseMemberOrder: her entries go before her row (which would detach
// them), what stays is cleared before her row goes, and the tombstone
// takes the next sync version; an unknown member is ENOTFOUND, untouched.
func TestEraseMemberOrder(t *testing.T) {
	ctx := context.Background()
	tx := &eraseLog{members: map[int64]bool{7: true}}
	if err := central.EraseMember(ctx, tx, 7); err != nil {
		t.Fatal(err)
	}
	want := []string{"entries 7", "registrations 7", "payer 7", "links 7", "member 7", "tombstone v42 7",
		"member.erase member:7"}
	if !slices.Equal(tx.steps, want) {
		t.Fatalf("steps %q, want %q", tx.steps, want)
	}
	tx.steps = nil
	if err := central.EraseMember(ctx, tx, 7); central.ErrorCode(err) != central.ENOTFOUND {
		t.Fatalf("erase again: %v, want ENOTFOUND", err)
	}
	if len(tx.steps) != 0 {
		t.Fatalf("steps %q for an unknown member", tx.steps)
	}
}
