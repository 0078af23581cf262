package api

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
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
		fe.Add("kind", "enum", "response, rule_change or progress_update")
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
	res := gin.H{"process": p.Slug, "ok": rep.OK, "entries": rep.Entries, "head_seq": rep.HeadSeq, "head_hash": nil,
		"first_broken_seq": rep.FirstBrokenSeq, "problem": nil, "checkpoint": toCheckpointJSON(rep.Checkpoint),
		"checkpoint_valid": rep.CheckpointValid, "checked_at": h.now().UTC().Truncate(time.Second)}
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
// oldest first, then the latest checkpoint (which may sign an earlier entry
// than the last, until the next periodic checkpoint).
func (h *handlers) exportLedger(c *gin.Context) {
	ctx := c.Request.Context()
	p, ok := h.slugProcess(c)
	if !ok {
		return
	}
	l := h.ledger
	cp, err := l.LatestCheckpoint(ctx, p.ID)
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
	err = l.Each(ctx, p.ID, func(e ledger.Entry) error { return enc.Encode(e) })
	if err == nil && cp != nil {
		err = enc.Encode(gin.H{"checkpoint": toCheckpointJSON(cp)})
	}
	if err == nil {
		err = w.Flush()
	}
	if err != nil {
		h.log.WarnContext(ctx, "ledger export interrupted", "process", p.Slug, "error", err.Error())
	}
}
