package riverhost

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/parcours-dev/parcours/scenario"
)

// Message is one action handed to a Sender.
type Message struct {
	// Key is the action's idempotency key: a Sender (or the service
	// behind it) must deliver a key at most once, because after a crash
	// between a send and its record the same message is handed over
	// again with the same key.
	Key      string          `json:"key"`
	Customer string          `json:"customer"`
	At       time.Time       `json:"at"` // the host's now when it was due
	Action   scenario.Action `json:"action"`
}

// Sender delivers messages: an email or SMS service, a webhook, a log.
// Send returns nil once the message is accepted; an error leaves it in
// the outbox, to be sent again (same key) at the customer's next attempt.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// Stdout returns a Sender that writes each message as a JSON line to w;
// it keeps the keys it wrote, so a message handed over again after a
// crash is written once.
func Stdout(w io.Writer) Sender { return &stdout{w: w, seen: map[string]bool{}} }

type stdout struct {
	mu   sync.Mutex
	w    io.Writer
	seen map[string]bool
}

func (s *stdout) Send(_ context.Context, m Message) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.seen[m.Key] {
		return nil
	}
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	if _, err := s.w.Write(append(b, '\n')); err != nil {
		return err
	}
	s.seen[m.Key] = true
	return nil
}

// Webhook returns a Sender that POSTs each message as JSON to url, with
// the key in the Idempotency-Key header for the receiver to deduplicate.
// Any 2xx status is success; client nil means a client with a 10-second
// timeout.
func Webhook(url string, client *http.Client) Sender {
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	return &webhook{url: url, client: client}
}

type webhook struct {
	url    string
	client *http.Client
}

func (w *webhook) Send(ctx context.Context, m Message) error {
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.url, bytes.NewReader(b))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", m.Key)
	resp, err := w.client.Do(req)
	if err != nil {
		return fmt.Errorf("webhook: %w", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("webhook: %s for message %s", resp.Status, m.Key)
	}
	return nil
}
