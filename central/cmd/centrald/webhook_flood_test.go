package main

import (
	"bufio"
	"bytes"
	"net/http"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/billing"
	"github.com/badgeuse/badgeuse/central/billing/helloasso"
	"github.com/badgeuse/badgeuse/central/billing/helloasso/helloassotest"
	"github.com/badgeuse/badgeuse/central/sqlite"
	"github.com/badgeuse/badgeuse/central/sqlstore"
	"github.com/badgeuse/badgeuse/shared/bintest"
)

// TestWebhookFloodBinary runs the attack of issue 10, item 6 against the
// real centrald, set up with a fake HelloAsso: 3,000 forged, unsigned
// Order notifications of as many orders, from one address. Before the fix
// they made 3,051 outbox rows and 3,052 calls to HelloAsso's API; now the
// address's burst passes (helloasso.SourceBurst, and what its bucket
// refills meanwhile), the rest is answered 429, and each order let in is
// read once and dropped as HelloAsso refuses it.
func TestWebhookFloodBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := bintest.Build(t, ".")
	ha := helloassotest.NewServer(t)
	data := t.TempDir()
	for k, v := range map[string]string{
		billing.SettingHelloAssoAPIURL:       ha.APIURL(),
		billing.SettingHelloAssoClientID:     ha.ClientID,
		billing.SettingHelloAssoClientSecret: ha.ClientSecret,
	} {
		cmd := exec.Command(bin, "settings", "set", "--data", data, k, v)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("settings set %s: %v\n%s", k, err, out)
		}
	}
	serve := exec.Command(bin, "serve", "--data", data, "--addr", "127.0.0.1:0")
	stderr, err := serve.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	stopped := false
	stop := func() {
		if !stopped {
			stopped = true
			serve.Process.Kill()
			serve.Wait()
		}
	}
	defer stop()
	lines := bufio.NewScanner(stderr)
	base := ""
	for base == "" && lines.Scan() {
		if m := regexp.MustCompile(`url=(http://\S+)`).FindStringSubmatch(lines.Text()); m != nil {
			base = m[1]
		}
	}
	if base == "" {
		t.Fatal("serve did not say where it listens")
	}
	go func() {
		for lines.Scan() { // drain
		}
	}()

	const attack = 3000
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 16}}
	var mu sync.Mutex
	statuses := map[int]int{}
	next := make(chan int)
	var wg sync.WaitGroup
	start := time.Now()
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				body := `{"eventType":"Order","data":{"id":` + strconv.Itoa(100000+i) + `,"formSlug":"carte-10"}}`
				resp, err := client.Post(base+billing.WebhookPath, "application/json", bytes.NewReader([]byte(body)))
				if err != nil {
					t.Error(err)
					return
				}
				resp.Body.Close()
				mu.Lock()
				statuses[resp.StatusCode]++
				mu.Unlock()
			}
		}()
	}
	for i := range attack {
		next <- i
	}
	close(next)
	wg.Wait()
	took := time.Since(start)
	accepted := statuses[http.StatusOK]
	t.Logf("%d forged notifications in %v: %v", attack, took, statuses)
	// The burst, and one more per SourceEvery the flood lasted.
	most := helloasso.SourceBurst + int(took/helloasso.SourceEvery) + 1
	if accepted < helloasso.SourceBurst || accepted > most || statuses[http.StatusTooManyRequests] != attack-accepted {
		t.Fatalf("statuses %v: want %d to %d × 200 and the rest 429", statuses, helloasso.SourceBurst, most)
	}
	// The worker reads each order let in once, and drops it.
	deadline := time.Now().Add(60 * time.Second)
	for ha.Stats().OrderGets < accepted && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(time.Second) // any call beyond would come now
	calls := ha.Stats().OrderGets
	stop()

	db := sqlite.NewDB(data)
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	outbox := sqlstore.NewOutboxService(db.DB)
	items, rows, err := outbox.FindOutbox(t.Context(), central.OutboxFilter{TopicPrefix: central.TopicPaymentOrder})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d outbox rows, %d calls to HelloAsso (before the fix: 3,051 rows, 3,052 calls)", rows, calls)
	if rows != accepted || calls != accepted {
		t.Fatalf("%d outbox rows and %d calls to HelloAsso for %d notifications let in; want one each", rows, calls, accepted)
	}
	for _, it := range items {
		if it.Done.IsZero() || it.Outcome != central.OutcomeFailed || !strings.Contains(it.Error, "HTTP 404") {
			t.Fatalf("message %s: done %v, outcome %q, note %q; want dropped with HelloAsso's 404", it.Key, it.Done,
				it.Outcome, it.Error)
		}
	}
}
