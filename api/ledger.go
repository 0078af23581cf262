package api

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"cocreate/internal/apperr"
	"cocreate/internal/forum"
	"cocreate/internal/ledger"
)

type checkpointJSON struct {
	Process   string    `json:"process"`
	Seq       int64     `json:"seq"`
	Hash      string    `json:"hash"`
	SignedAt  time.Time `json:"signed_at"`
	KeyID     string    `json:"key_id"`
	PublicKey string    `json:"public_key"`
	Signature string    `json:"signature"`
}

func toCheckpointJSON(cp *ledger.Checkpoint) *checkpointJSON {
	if cp == nil {
		return nil
	}
	return &checkpointJSON{Process: cp.Process, Seq: cp.Seq, Hash: cp.Hash, SignedAt: cp.SignedAt.UTC(), KeyID: cp.KeyID,
		PublicKey: cp.PublicKey, Signature: cp.Signature}
}

// ledgerItemJSON is an entry of the ledger list: the entry as hashed, and
// what its fields read as (rendered; null for a kind without text).
type ledgerItemJSON struct {
	Seq      int64           `json:"seq"`
	PrevHash string          `json:"prev_hash"`
	Hash     string          `json:"hash"`
	Fields   json.RawMessage `json:"fields"`
	Rendered any             `json:"rendered"`
}

// renderedResponseJSON is a response's entry as it reads: its reasoning
// rendered, and each cover it records, in its order, as a response shows it.
type renderedResponseJSON struct {
	ReasoningHTML string      `json:"reasoning_html"`
	Covers        []coverJSON `json:"covers"`
}

// renderedProgressJSON is a progress update's entry as it reads.
type renderedProgressJSON struct {
	ProgressHTML     string `json:"progress_html"`
	DelayReasonsHTML string `json:"delay_reasons_html"`
	NextStepsHTML    string `json:"next_steps_html"`
}

// renderLedger adds to each entry its fields rendered, resolving the covers
// of the page's responses in one read.
func (h *handlers) renderLedger(ctx context.Context, entries []ledger.Entry) ([]ledgerItemJSON, error) {
	rendered := make([]ledger.Rendered, len(entries))
	var refs []string
	for i, e := range entries {
		r, err := h.ledger.Render(e)
		if err != nil {
			return nil, err
		}
		rendered[i] = r
		refs = append(refs, r.Covers...)
	}
	covers, err := h.forum.LedgerCovers(ctx, refs)
	if err != nil {
		return nil, err
	}
	out := make([]ledgerItemJSON, len(entries))
	for i, e := range entries {
		out[i] = ledgerItemJSON{Seq: e.Seq, PrevHash: e.PrevHash, Hash: e.Hash, Fields: e.Fields}
		switch r := rendered[i]; r.Kind {
		case ledger.KindResponse:
			rr := renderedResponseJSON{ReasoningHTML: r.ReasoningHTML, Covers: make([]coverJSON, 0, len(r.Covers))}
			for _, ref := range r.Covers {
				if cv, ok := covers[ref]; ok {
					rr.Covers = append(rr.Covers, toCoverJSON(cv))
				}
			}
			out[i].Rendered = rr
		case ledger.KindProgressUpdate:
			out[i].Rendered = renderedProgressJSON{ProgressHTML: r.ProgressHTML, DelayReasonsHTML: r.DelayReasonsHTML, NextStepsHTML: r.NextStepsHTML}
		}
	}
	return out, nil
}

// listLedger handles GET /api/v1/processes/:slug/ledger.
func (h *handlers) listLedger(c *gin.Context) {
	limit, cursor, ok := h.pageParams(c, 20, 100)
	if !ok {
		return
	}
	f := ledger.Filter{Limit: limit, Disposition: c.Query("disposition"), Kind: ledger.Kind(c.Query("kind"))}
	var fe apperr.Fields
	if f.Disposition != "" && !slices.Contains(forum.Dispositions, forum.Disposition(f.Disposition)) {
		fe.Add("disposition", "enum", "adopted, amended, merged, rejected, out_of_scope or noted")
	}
	if f.Kind != "" && !slices.Contains(ledger.Kinds, f.Kind) {
		fe.Add("kind", "enum", "response, rule_change, progress_update or report")
	}
	if cursor != "" {
		n, err := strconv.ParseInt(cursor, 10, 64)
		if err != nil || n < 1 {
			fe.Add("cursor", "cursor", "not a cursor this server issued")
		}
		f.Before = n
	}
	if err := fe.Err(codeRequestInvalid); err != nil {
		h.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	p, ok := h.slugProcess(c)
	if !ok {
		return
	}
	l := h.ledger
	entries, more, err := l.List(ctx, p.ID, f)
	if err != nil {
		h.fail(c, err)
		return
	}
	seq, hash, err := l.Head(ctx, p.ID)
	if err != nil {
		h.fail(c, err)
		return
	}
	cp, err := l.LatestCheckpoint(ctx, p.ID)
	if err != nil {
		h.fail(c, err)
		return
	}
	items, err := h.renderLedger(ctx, entries)
	if err != nil {
		h.fail(c, err)
		return
	}
	res := gin.H{"items": items, "next_cursor": nil, "head": nil, "checkpoint": toCheckpointJSON(cp)}
	if more {
		res["next_cursor"] = strconv.FormatInt(entries[len(entries)-1].Seq, 10)
	}
	if seq > 0 {
		res["head"] = gin.H{"seq": seq, "hash": hash}
	}
	c.Header("Cache-Control", "no-cache")
	c.JSON(http.StatusOK, res)
}

// checkpointProblemJSON is a checkpoint that failed verification: reason is
// a stable code (ledger.Reason*), problem the sentence.
type checkpointProblemJSON struct {
	Seq     int64  `json:"seq"`
	KeyID   string `json:"key_id"`
	Reason  string `json:"reason"`
	Problem string `json:"problem"`
}

// verifyLedger handles GET /api/v1/processes/:slug/ledger/verify.
func (h *handlers) verifyLedger(c *gin.Context) {
	ctx := c.Request.Context()
	p, ok := h.slugProcess(c)
	if !ok {
		return
	}
	rep, err := h.ledger.Verify(ctx, p.ID)
	if err != nil {
		h.fail(c, err)
		return
	}
	problems := make([]checkpointProblemJSON, len(rep.CheckpointProblems))
	for i, cp := range rep.CheckpointProblems {
		problems[i] = checkpointProblemJSON{Seq: cp.Seq, KeyID: cp.KeyID, Reason: cp.Reason, Problem: cp.Problem}
	}
	res := gin.H{"process": p.Slug, "ok": rep.OK, "entries": rep.Entries, "head_seq": rep.HeadSeq, "head_hash": nil,
		"first_broken_seq": rep.FirstBrokenSeq, "problem": nil, "checkpoint": toCheckpointJSON(rep.Checkpoint),
		"checkpoint_valid": rep.CheckpointValid, "checkpoints": rep.Checkpoints, "checkpoints_failed": rep.CheckpointsFailed,
		"checkpoint_problems": problems, "checked_at": h.now().UTC().Truncate(time.Second)}
	if rep.HeadHash != "" {
		res["head_hash"] = rep.HeadHash
	}
	if rep.Problem != "" {
		res["problem"] = rep.Problem
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, res)
}

// exportLedger handles GET /api/v1/processes/:slug/ledger/export: JSON Lines,
// oldest first, each checkpoint right after the entry it signs (and any that
// signs an entry the ledger lacks, at the end).
func (h *handlers) exportLedger(c *gin.Context) {
	ctx := c.Request.Context()
	p, ok := h.slugProcess(c)
	if !ok {
		return
	}
	l := h.ledger
	cps, err := l.Checkpoints(ctx, p.ID)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.Header("Content-Type", "application/jsonl; charset=utf-8")
	c.Header("Content-Disposition", `attachment; filename="`+p.Slug+`-ledger.jsonl"`)
	c.Header("Cache-Control", "no-cache")
	c.Status(http.StatusOK)
	w := bufio.NewWriterSize(c.Writer, 64<<10)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	checkpointsUpTo := func(seq int64) error {
		for len(cps) > 0 && cps[0].Seq <= seq {
			if err := enc.Encode(gin.H{"checkpoint": toCheckpointJSON(&cps[0])}); err != nil {
				return err
			}
			cps = cps[1:]
		}
		return nil
	}
	err = l.Each(ctx, p.ID, func(e ledger.Entry) error {
		if err := enc.Encode(e); err != nil {
			return err
		}
		return checkpointsUpTo(e.Seq)
	})
	if err == nil {
		err = checkpointsUpTo(math.MaxInt64)
	}
	if err == nil {
		err = w.Flush()
	}
	if err != nil {
		h.log.WarnContext(ctx, "ledger export interrupted", "process", p.Slug, "error", err.Error())
	}
}

// ledgerKeyJSON is a checkpoint key as GET /api/v1/ledger/keys publishes it
// (the shape of ledger.KeyDocument, with its status).
type ledgerKeyJSON struct {
	KeyID      string     `json:"key_id"`
	Algorithm  string     `json:"algorithm"`
	PublicKey  string     `json:"public_key"`
	ValidFrom  *time.Time `json:"valid_from"`
	ValidUntil *time.Time `json:"valid_until"`
	Status     string     `json:"status"`
}

// ledgerKeys handles GET /api/v1/ledger/keys: the public keys whose
// checkpoints count, current and retired, for readers to pin.
func (h *handlers) ledgerKeys(c *gin.Context) {
	keys := h.ledger.Keys()
	out := make([]ledgerKeyJSON, len(keys))
	for i, k := range keys {
		status := "retired"
		if k.Current() {
			status = "current"
		}
		out[i] = ledgerKeyJSON{KeyID: k.ID, Algorithm: "Ed25519", PublicKey: base64.StdEncoding.EncodeToString(k.PublicKey),
			ValidFrom: k.From, ValidUntil: k.Until, Status: status}
	}
	c.Header("Cache-Control", "public, max-age=300")
	c.JSON(http.StatusOK, gin.H{"keys": out})
}

// ledgerConsistency handles GET /api/v1/processes/:slug/ledger/consistency:
// does today's ledger extend a head someone kept (?seq=N&hash=H)?
func (h *handlers) ledgerConsistency(c *gin.Context) {
	var fe apperr.Fields
	seq, err := strconv.ParseInt(c.Query("seq"), 10, 64)
	if err != nil || seq < 1 {
		fe.Add("seq", "integer", "an entry's seq: 1 or more")
	}
	hash := strings.ToLower(strings.TrimSpace(c.Query("hash")))
	if !ledger.ValidHash(hash) {
		fe.Add("hash", "hash", "64 hexadecimal digits")
	}
	if err := fe.Err(codeRequestInvalid); err != nil {
		h.fail(c, err)
		return
	}
	p, ok := h.slugProcess(c)
	if !ok {
		return
	}
	r, err := h.ledger.Extends(c.Request.Context(), p.ID, []ledger.Point{{Seq: seq, Hash: hash}})
	if err != nil {
		h.fail(c, err)
		return
	}
	res := gin.H{"process": p.Slug, "seq": seq, "hash": hash, "extends": r.Extends, "reason": r.Reason,
		"recorded_hash": nil, "head_seq": r.HeadSeq, "head_hash": nil, "first_broken_seq": r.FirstBrokenSeq, "problem": nil,
		"checked_at": h.now().UTC().Truncate(time.Second)}
	if r.Recorded != "" {
		res["recorded_hash"] = r.Recorded
	}
	if r.HeadHash != "" {
		res["head_hash"] = r.HeadHash
	}
	if r.Problem != "" {
		res["problem"] = r.Problem
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, res)
}
