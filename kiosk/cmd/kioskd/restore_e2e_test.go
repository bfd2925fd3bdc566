package main

import (
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"
)

// TestCentralRestoredFromBackup is the README's restore with the real
// binaries: two kiosks scan and sync, central is backed up (centrald
// backup, while serving), kiosks go on scanning while central is killed
// with SIGKILL in the middle of their pushes, then central is restored from
// the older backup (centrald restore) and started. Every kiosk sends again
// what the backup lacks: each printed decision is at central once.
func TestCentralRestoredFromBackup(t *testing.T) {
	c := newCentral(t)
	a := setUp(c)
	c.start()
	kiosks := []*kioskProc{newKiosk(t, c, "Entrée"), newKiosk(t, c, "Étage")}
	clips := []string{video(t, a.aliceB, a.brunoB), video(t, a.chloeB, a.denisB, a.aliceB)}
	printed := make([][]decision, len(kiosks))
	for i, k := range kiosks {
		printed[i] = append(printed[i], k.run(clips[i])...)
		k.sync()
	}
	backup := filepath.Join(t.TempDir(), "central-backup.db")
	c.run("backup", backup)

	// After the backup: more scans, pushed while central is killed.
	rnd := rand.New(rand.NewPCG(5, 8))
	for round := range 4 {
		for i, k := range kiosks {
			printed[i] = append(printed[i], k.run(clips[i], "--sync=false")...)
		}
		for _, k := range kiosks {
			sync := k.cmd("sync", "--data", k.data)
			sync.Start()
			time.Sleep(time.Duration(rnd.IntN(80)) * time.Millisecond)
			if round%2 == 0 {
				sync.Wait() // some rounds reach central whole
			} else {
				c.kill()
				sync.Wait()
				c.start()
			}
		}
	}
	before := len(c.entries())
	c.kill() // an unclean stop: -wal and -shm stay in the data folder

	out := c.run("restore", backup)
	t.Logf("centrald restore: %s", out)
	c.start()
	if got := len(c.entries()); got >= before {
		t.Fatalf("central holds %d entries after restoring the older backup, %d before: the restore did nothing", got, before)
	}
	// The kiosks go on: their next push finds central's acknowledgement
	// behind theirs and sends the missing entries again.
	for i, k := range kiosks {
		printed[i] = append(printed[i], k.run(clips[i])...)
		k.sync()
		k.sync()
	}
	entries := c.entries()
	for i, k := range kiosks {
		st := k.status()
		if st.Pending != 0 {
			t.Errorf("kiosk %d: %d entries pending after sync", i+1, st.Pending)
		}
		checkExactlyOnce(t, printed[i], entries, int64(i+1), st.LastSeq)
	}
	// Alice came every round, on both kiosks, the same day: one entry used.
	if b := c.balance(a.alice); b.EntriesLeft != 9 {
		t.Errorf("Alice after the restore: %+v, want 9 entries left", b)
	}
}
