package bintest

import (
	"maps"
	"math/rand/v2"
	"net"
	"net/http"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Procs runs several copies of a server (centrald behind a RoundRobin),
// each on an address of its own that a restart keeps, for the tests that
// kill them with SIGKILL and restart them. Its methods are safe for the
// test's goroutines.
type Procs struct {
	// Addrs are the processes' addresses (host:port), by index.
	Addrs []string
	// Logs are their output, by index, across restarts.
	Logs []Buffer

	t        testing.TB
	cmd      func(i int, addr string) *exec.Cmd
	mu       sync.Mutex
	procs    []*exec.Cmd // nil while dead
	stopped  bool
	restarts sync.WaitGroup
}

// StartProcs starts n processes, each made by cmd from its index and its
// address (free when StartProcs looks for it). They are killed when the
// test ends (t.Cleanup).
func StartProcs(t testing.TB, n int, cmd func(i int, addr string) *exec.Cmd) *Procs {
	t.Helper()
	p := &Procs{Logs: make([]Buffer, n), t: t, cmd: cmd, procs: make([]*exec.Cmd, n)}
	for range n {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		p.Addrs = append(p.Addrs, ln.Addr().String())
		ln.Close()
	}
	t.Cleanup(p.killAll)
	for i := range n {
		p.start(i)
	}
	return p
}

// start starts process i. It may run on a restart's goroutine: a failure
// is t.Errorf, not Fatal.
func (p *Procs) start(i int) {
	cmd := p.cmd(i, p.Addrs[i])
	cmd.Stdout, cmd.Stderr = &p.Logs[i], &p.Logs[i]
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stopped {
		return
	}
	if err := cmd.Start(); err != nil {
		p.t.Errorf("start process %d: %v", i, err)
		return
	}
	p.procs[i] = cmd
}

// KillAndRestart kills process i with SIGKILL and, once it is dead and
// 100 ms later, starts it again in the background. It reports false, and
// does nothing, when process i is not running (dead and not restarted
// yet).
func (p *Procs) KillAndRestart(i int) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	dead := p.procs[i]
	if dead == nil || dead.Process.Signal(syscall.SIGKILL) != nil {
		return false
	}
	p.procs[i] = nil
	p.restarts.Go(func() {
		dead.Wait()
		time.Sleep(100 * time.Millisecond)
		p.start(i)
	})
	return true
}

// WaitRestarts waits until the restarts KillAndRestart began are done.
func (p *Procs) WaitRestarts() { p.restarts.Wait() }

// WaitHealthy waits until every process answers 200 on /healthz, for at
// most timeout each, or fails the test with their output.
func (p *Procs) WaitHealthy(timeout time.Duration) {
	p.t.Helper()
	for _, a := range p.Addrs {
		for deadline := time.Now().Add(timeout); ; time.Sleep(50 * time.Millisecond) {
			if resp, err := http.Get("http://" + a + "/healthz"); err == nil {
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					break
				}
			}
			if time.Now().After(deadline) {
				p.t.Fatalf("process at %s did not start:\n%s", a, p.Output())
			}
		}
	}
}

// Output returns every process's output, one after the other.
func (p *Procs) Output() string {
	var b strings.Builder
	for i := range p.Logs {
		b.WriteString(p.Logs[i].String())
	}
	return b.String()
}

// killAll kills the processes running and stops the restarts to come.
func (p *Procs) killAll() {
	p.mu.Lock()
	p.stopped = true
	running := p.procs
	p.procs = make([]*exec.Cmd, len(running))
	p.mu.Unlock()
	for _, cmd := range running {
		if cmd != nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
	}
	p.restarts.Wait()
}

// Chaos kills the processes of a Procs, one drawn at random each time
// (KillAndRestart), Max times at most, and counts the kills by why: on a
// timer (Run) and when the test says (Maybe, from a fake's hook for
// instance). One seeded random source draws the processes, the chances and
// the waits.
type Chaos struct {
	procs *Procs
	max   int
	mu    sync.Mutex // the random source and the kills
	rng   *rand.Rand
	kills map[string]int
}

// Chaos returns a Chaos of max kills over p, its random source seeded
// with seed1 and seed2.
func (p *Procs) Chaos(seed1, seed2 uint64, max int) *Chaos {
	return &Chaos{procs: p, max: max, rng: rand.New(rand.NewPCG(seed1, seed2)), kills: map[string]int{}}
}

// kill kills a process drawn at random, counted as why, unless Max kills
// were made or that process is not running.
func (c *Chaos) kill(why string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.total() >= c.max || !c.procs.KillAndRestart(c.rng.IntN(len(c.procs.Addrs))) {
		return
	}
	c.kills[why]++
}

// Maybe kills a process, counted as why, with the probability chance.
func (c *Chaos) Maybe(chance float64, why string) {
	c.mu.Lock()
	now := c.rng.Float64() < chance
	c.mu.Unlock()
	if now {
		c.kill(why)
	}
}

// Run kills a process, counted as "timer", every 0.3 to 2 s, until Max
// kills were made or d has passed.
func (c *Chaos) Run(d time.Duration) {
	for deadline := time.Now().Add(d); ; {
		c.mu.Lock()
		n := c.total()
		wait := time.Duration(300+c.rng.IntN(1700)) * time.Millisecond
		c.mu.Unlock()
		if n >= c.max || time.Now().After(deadline) {
			return
		}
		time.Sleep(wait)
		c.kill("timer")
	}
}

// Kills returns the kills made by why, and their total.
func (c *Chaos) Kills() (map[string]int, int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return maps.Clone(c.kills), c.total()
}

func (c *Chaos) total() int {
	n := 0
	for _, k := range c.kills {
		n += k
	}
	return n
}
