package main

import (
	"fmt"
	"io"
	"os"
	"sync/atomic"
	"time"
)

// progress shows "verb 42% 4200/10000 customers" on a terminal, redrawn
// five times a second; it writes nothing when w is not a terminal, so
// that logs and tests see only the result. A dependency would add little
// to these lines.
type progress struct {
	w     io.Writer
	verb  string
	total int
	done  atomic.Int64
	stop  chan struct{}
	ended chan struct{}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}

func startProgress(w io.Writer, verb string, total int) *progress {
	p := &progress{w: w, verb: verb, total: total}
	if !isTerminal(w) || total == 0 {
		return p
	}
	p.stop, p.ended = make(chan struct{}), make(chan struct{})
	go func() {
		defer close(p.ended)
		tick := time.NewTicker(200 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-p.stop:
				fmt.Fprintf(p.w, "\r\033[K")
				return
			case <-tick.C:
				n := p.done.Load()
				fmt.Fprintf(p.w, "\r%s %3d%% %d/%d customers", p.verb, 100*n/int64(p.total), n, p.total)
			}
		}
	}()
	return p
}

func (p *progress) add(n int) { p.done.Add(int64(n)) }

func (p *progress) end() {
	if p.stop != nil {
		close(p.stop)
		<-p.ended
	}
}
