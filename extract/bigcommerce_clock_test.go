package extract

import (
	"context"
	"slices"
	"sync"
	"time"
)

// virtualClock is a Clock whose time moves only when the test lets it.
// With workers at 0, Sleep advances the time by its duration at once.
// With workers above 0, Sleep blocks until every worker sleeps, then the
// time jumps to the earliest wake-up, so concurrent workers run in a
// deterministic virtual time and a request in flight takes no time.
type virtualClock struct {
	mu       sync.Mutex
	now      time.Time
	workers  int
	sleepers []*virtualSleeper
	timers   []*virtualTimer
	slept    []time.Duration
}

type virtualSleeper struct {
	until time.Time
	wake  chan struct{}
}

type virtualTimer struct {
	at time.Time
	f  func()
}

// testEpoch is the start of virtual time, at the start of a 30 s window.
var testEpoch = time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)

func newVirtualClock(workers int) *virtualClock {
	return &virtualClock{now: testEpoch, workers: workers}
}

func (c *virtualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *virtualClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	c.slept = append(c.slept, d)
	if c.workers == 0 {
		due := c.advanceLocked(c.now.Add(d))
		c.mu.Unlock()
		runAll(due)
		return nil
	}
	s := &virtualSleeper{until: c.now.Add(d), wake: make(chan struct{})}
	c.sleepers = append(c.sleepers, s)
	due := c.advanceIfIdleLocked()
	c.mu.Unlock()
	runAll(due)

	select {
	case <-s.wake:
		return nil
	case <-ctx.Done():
		c.mu.Lock()
		c.sleepers = slices.DeleteFunc(c.sleepers, func(x *virtualSleeper) bool { return x == s })
		c.mu.Unlock()
		return ctx.Err()
	}
}

func (c *virtualClock) AfterFunc(d time.Duration, f func()) func() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &virtualTimer{at: c.now.Add(d), f: f}
	c.timers = append(c.timers, t)
	return func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		n := len(c.timers)
		c.timers = slices.DeleteFunc(c.timers, func(x *virtualTimer) bool { return x == t })
		return len(c.timers) < n
	}
}

// Advance moves the time forward by d, firing timers and waking sleepers
// that fall due.
func (c *virtualClock) Advance(d time.Duration) {
	c.mu.Lock()
	due := c.advanceLocked(c.now.Add(d))
	c.mu.Unlock()
	runAll(due)
}

// workerDone removes a worker that stopped for good.
func (c *virtualClock) workerDone() {
	c.mu.Lock()
	c.workers--
	due := c.advanceIfIdleLocked()
	c.mu.Unlock()
	runAll(due)
}

// Slept returns the durations passed to Sleep, in call order.
func (c *virtualClock) Slept() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.slept)
}

func (c *virtualClock) advanceIfIdleLocked() []func() {
	if c.workers <= 0 || len(c.sleepers) < c.workers {
		return nil
	}
	earliest := c.sleepers[0].until
	for _, s := range c.sleepers[1:] {
		if s.until.Before(earliest) {
			earliest = s.until
		}
	}
	return c.advanceLocked(earliest)
}

// advanceLocked sets the time to t unless it is earlier, wakes the
// sleepers due and returns the timer functions due, to be run unlocked.
func (c *virtualClock) advanceLocked(t time.Time) []func() {
	if t.After(c.now) {
		c.now = t
	}
	c.sleepers = slices.DeleteFunc(c.sleepers, func(s *virtualSleeper) bool {
		if s.until.After(c.now) {
			return false
		}
		close(s.wake)
		return true
	})
	var due []func()
	c.timers = slices.DeleteFunc(c.timers, func(t *virtualTimer) bool {
		if t.at.After(c.now) {
			return false
		}
		due = append(due, t.f)
		return true
	})
	return due
}

func runAll(fs []func()) {
	for _, f := range fs {
		f()
	}
}
