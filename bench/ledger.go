package main

// W7: verifying a response ledger of 100,000 entries.

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"cocreate/internal/ledger"
)

// w7 builds a chained ledger of 100,000 entries (2,000 in the smoke run) with
// realistic fields for a process of its own, then times the public
// verification route three times and reports the median; every run must
// report the chain intact and every entry checked.
func (e *env) w7(ctx context.Context) (result, error) {
	n := 100_000
	if e.o.smoke {
		n = 2_000
	}
	slug := fmt.Sprintf("bench-ledger-%d", time.Now().UnixNano()%1e9)
	var pid int64
	if err := e.db.Raw("INSERT INTO processes (slug, title, languages, published_at) VALUES (?, 'Ledger bench', '{en}', now()) RETURNING id", slug).Scan(&pid).Error; err != nil {
		return result{}, err
	}
	reasoning := strings.Repeat("The forum adopted this proposal: the council will publish contracts above 10,000 € within 30 days, "+
		"with the supplier, the amount and later changes. ", 4)
	prev := ledger.Genesis
	const batch = 1000
	for start := 1; start <= n; start += batch {
		var sql strings.Builder
		sql.WriteString("INSERT INTO ledger_entries (process_id, seq, fields, prev_hash, hash) VALUES ")
		var args []any
		for seq := start; seq < start+batch && seq <= n; seq++ {
			f := ledger.Fields{V: ledger.Version, Process: slug, RecordedAt: ledger.Timestamp(time.Unix(1.8e9+int64(seq)*60, 0)), Response: int64(seq),
				Disposition: "adopted", Reasoning: fmt.Sprintf("%s (%d)", reasoning, seq), LedTo: "Commitment 4",
				Covers:   []string{fmt.Sprintf("comment:%d", seq), fmt.Sprintf("idea:%d", seq), fmt.Sprintf("paragraph:1:p-%d", seq%50)},
				Clusters: []ledger.Cluster{},
				Signers: []ledger.Member{{Member: "m-0123456789abcdef", Seat: "government", Organisation: "Larkhaven City Council"},
					{Member: "m-fedcba9876543210", Seat: "civil_society", Organisation: "Open Larkhaven Coalition"}},
				Dissents: []ledger.Member{}}
			fields, err := ledger.Encode(f)
			if err != nil {
				return result{}, err
			}
			hash, err := ledger.Hash(int64(seq), prev, fields)
			if err != nil {
				return result{}, err
			}
			if seq > start {
				sql.WriteString(",")
			}
			sql.WriteString("(?, ?, ?, ?, ?)")
			args = append(args, pid, seq, string(fields), prev, hash)
			prev = hash
		}
		if err := e.db.WithContext(ctx).Exec(sql.String(), args...).Error; err != nil {
			return result{}, err
		}
	}
	if err := e.db.Exec("ANALYZE ledger_entries").Error; err != nil {
		return result{}, err
	}
	var runs []time.Duration
	check := "ok"
	for i := 0; i < 3; i++ {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, e.base+"/api/v1/processes/"+slug+"/ledger/verify", nil)
		start := time.Now()
		res, err := e.client.Do(req)
		if err != nil {
			return result{}, err
		}
		var rep struct {
			OK       bool   `json:"ok"`
			Entries  int    `json:"entries"`
			HeadHash string `json:"head_hash"`
		}
		err = json.NewDecoder(res.Body).Decode(&rep)
		res.Body.Close()
		runs = append(runs, time.Since(start))
		if err != nil || res.StatusCode != http.StatusOK || !rep.OK || rep.Entries != n || rep.HeadHash != prev {
			check = fmt.Sprintf("FAILED: status %d, ok %t, %d entries of %d, head %s (want %s), %v", res.StatusCode, rep.OK, rep.Entries, n, rep.HeadHash, prev, err)
		}
	}
	slices.Sort(runs)
	median := runs[1]
	if check == "ok" {
		check = fmt.Sprintf("ok: %d entries verified intact each run; runs %v; target ≤ 2 s", n, runs)
		if median > 2*time.Second && !e.o.smoke {
			check = fmt.Sprintf("FAILED: median %v over the 2 s target (runs %v)", median, runs)
		}
	}
	return result{Scenario: "W7", Connections: 1, DurationS: round(median.Seconds()), Requests: 3, RPS: round(float64(n) / median.Seconds()),
		P50ms: round(float64(median.Microseconds()) / 1000), P99ms: round(float64(runs[2].Microseconds()) / 1000), Check: check}, nil
}
