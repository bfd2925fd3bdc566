package central

// Arrival is a new visit: the first accepted entry of a member at a space on
// a day, as the ingest path (SyncService.Push) sees it.
type Arrival struct {
	Member *Member
	Entry  *Entry
	Kiosk  *Kiosk
	Visit  *Visit
}

// ArrivalHook returns the outbox messages an arrival causes (Slack's
// "Alice est arrivée"). It is a pure function: the store calls it inside the
// push transaction and inserts what it returns, so the post exists if and
// only if the entry does. Hooks see late arrivals too (a kiosk offline for
// days): they decide from Entry.Time whether a post is still worth it.
type ArrivalHook func(Arrival) []OutboxMessage
