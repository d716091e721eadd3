package main

// The benchmark's request sender (-mode requests): fills the apiserver and churns it with far
// less client CPU than a Python client, so the writes measure the apiserver, not the filler.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"k8s.io/client-go/rest"
)

// request is one HTTP call; a stdin line is a JSON array of them, sent in order.
type request struct {
	Method      string          `json:"method"`
	Path        string          `json:"path"`
	ContentType string          `json:"contentType"`
	Body        json.RawMessage `json:"body"`
	Accept      []int           `json:"accept"` // status codes accepted besides 2xx (e.g. 409)
}

func retryable(status int) bool {
	return status == http.StatusTooManyRequests || status >= 500
}

func send(client *http.Client, base string, r request) error {
	contentType := r.ContentType
	if contentType == "" {
		contentType = "application/json"
	}
	var last error
	for attempt := 0; attempt < 6; attempt++ {
		if attempt > 0 {
			time.Sleep(time.Duration(attempt*attempt) * 100 * time.Millisecond)
		}
		req, err := http.NewRequest(r.Method, base+r.Path, bytes.NewReader(r.Body))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", contentType)
		req.Header.Set("Accept", "application/json")
		resp, err := client.Do(req)
		if err != nil {
			last = err
			continue
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode/100 == 2 {
			return nil
		}
		for _, code := range r.Accept {
			if resp.StatusCode == code {
				return nil
			}
		}
		last = fmt.Errorf("%s %s: %d %s", r.Method, r.Path, resp.StatusCode, body)
		if !retryable(resp.StatusCode) {
			return last
		}
	}
	return last
}

// runRequests reads request sequences from stdin and sends `workers` sequences at a time.
func runRequests(config *rest.Config, workers int) {
	client, err := rest.HTTPClientFor(config)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	client.Timeout = 120 * time.Second
	base := strings.TrimRight(config.Host, "/")
	sequences := make(chan []request, workers*4)
	var sent, failed atomic.Int64
	var printed sync.Mutex
	var wg sync.WaitGroup
	started := time.Now()
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for seq := range sequences {
				for _, r := range seq {
					if err := send(client, base, r); err != nil {
						if failed.Add(1) <= 5 {
							printed.Lock()
							fmt.Fprintln(os.Stderr, err)
							printed.Unlock()
						}
						break
					}
					sent.Add(1)
				}
			}
		}()
	}
	scanner := bufio.NewScanner(os.Stdin)
	scanner.Buffer(make([]byte, 1<<20), 64<<20)
	for scanner.Scan() {
		var seq []request
		if err := json.Unmarshal(scanner.Bytes(), &seq); err != nil {
			fmt.Fprintln(os.Stderr, "bad request line:", err)
			os.Exit(2)
		}
		sequences <- seq
	}
	close(sequences)
	wg.Wait()
	emit(map[string]any{
		"phase":    "done",
		"requests": sent.Load(),
		"failures": failed.Load(),
		"seconds":  time.Since(started).Seconds(),
	})
	if failed.Load() > 0 {
		os.Exit(1)
	}
}
