package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/parcours-dev/parcours"
)

// A population is read as JSON lines, one timeline per line, and streamed
// to the workers: memory stays proportional to the workers, not to the
// population, and decoding runs on every core too.

// population is an open population file (or standard input).
type population struct {
	r     io.ReadCloser
	total int // lines, when known in advance (a regular file); 0 otherwise
}

func openPopulation(name string, in io.Reader) (*population, error) {
	if name == "-" {
		return &population{r: io.NopCloser(in)}, nil
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	// Count the lines for the progress line; a second pass over a file is
	// cheap next to replaying it.
	n, err := countLines(f)
	if err == nil {
		_, err = f.Seek(0, io.SeekStart)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return &population{r: f, total: n}, nil
}

func countLines(r io.Reader) (int, error) {
	buf := make([]byte, 1<<20)
	n := 0
	for {
		k, err := r.Read(buf)
		n += bytes.Count(buf[:k], []byte{'\n'})
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
	}
}

// job is one customer: its index in the population and its line.
type job struct {
	index, line int
	data        []byte
}

// each decodes every timeline of the population on workers goroutines and
// calls fn(worker, index, timeline); worker identifies the goroutine
// (0..workers-1), so that fn can accumulate into per-worker state
// without locks. Each worker sees increasing indexes. Blank lines are
// skipped. The first error in population order is returned (a bad line
// names its number); it returns the number of customers.
func (p *population) each(workers int, prog *progress, fn func(worker, index int, tl parcours.Timeline) error) (int, error) {
	defer p.r.Close()
	jobs := make(chan job, 4*workers)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var first error
	firstAt := -1
	fail := func(i int, err error) {
		mu.Lock()
		if firstAt < 0 || i < firstAt {
			first, firstAt = err, i
		}
		mu.Unlock()
	}
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				var tl parcours.Timeline
				if err := decodeStrict(j.data, &tl); err != nil {
					fail(j.index, fmt.Errorf("line %d: %w", j.line, err))
				} else if err := fn(w, j.index, tl); err != nil {
					fail(j.index, err)
				}
				prog.add(1)
			}
		}()
	}
	sc := bufio.NewScanner(p.r)
	sc.Buffer(make([]byte, 0, 1<<20), 64<<20)
	n := 0
	for line := 1; sc.Scan(); line++ {
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		jobs <- job{index: n, line: line, data: bytes.Clone(sc.Bytes())}
		n++
	}
	close(jobs)
	wg.Wait()
	prog.end()
	if err := sc.Err(); err != nil {
		return n, err
	}
	return n, first
}
