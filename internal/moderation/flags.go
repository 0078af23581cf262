package moderation

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"cocreate/internal/apperr"
	"cocreate/internal/auth"
	"cocreate/internal/comment"
	"cocreate/internal/contribution"
	"cocreate/internal/database"
	"cocreate/internal/event"
	"cocreate/internal/idea"
)

// minFlagWeight is the least a flag weighs, however often its giver's flags
// were rejected.
const minFlagWeight = 0.2

// flagWeight is what a person's flag is worth: (upheld + 1) / (upheld +
// rejected + 1) over their decided flags, at least minFlagWeight. A new
// flagger's flag weighs 1; someone whose four flags were all rejected weighs 0.2.
func flagWeight(upheld, rejected int) float64 {
	return max(float64(upheld+1)/float64(upheld+rejected+1), minFlagWeight)
}

// FlagInput is a person's report.
type FlagInput struct {
	Reason Reason
	Note   string
}

// Flag records actor's report of a contribution (once per person) and brings
// it to the queue. When the weight of its open flags from distinct accounts
// reaches the process's threshold, the contribution is hidden pending review;
// Flag reports whether it is.
func (s *Service) Flag(ctx context.Context, actor auth.Principal, kind contribution.Kind, id int64, in FlagInput) (bool, error) {
	if !actor.Can(auth.PermContribute) {
		return false, ErrForbidden
	}
	in.Note = strings.TrimSpace(in.Note)
	var f apperr.Fields
	if !in.Reason.Valid() {
		f.Add("reason", "enum", "one of the house rules")
	}
	if utf8.RuneCountInString(in.Note) > 1000 || strings.ContainsRune(in.Note, 0) {
		f.Add("note", "length", "at most 1000 characters")
	}
	if err := f.Err(CodeInvalid); err != nil {
		return false, err
	}
	hidden := false
	err := database.InTx(ctx, s.db, func(ctx context.Context) error {
		conn := database.Conn(ctx, s.db)
		class := database.LockFlagComment
		if kind == contribution.KindIdea {
			class = database.LockFlagIdea
		}
		if err := conn.Exec("SELECT pg_advisory_xact_lock(?, ?)", class, int32(id)).Error; err != nil {
			return fmt.Errorf("moderation: flag lock: %w", err)
		}
		var t []struct {
			AuthorID   int64
			ProcessID  int64
			DocumentID *int64
			Status     string
		}
		q := `SELECT c.author_id, coalesce(d.process_id, i.process_id) AS process_id, c.document_id, c.status FROM comments c
			LEFT JOIN documents d ON d.id = c.document_id LEFT JOIN ideas i ON i.id = c.idea_id WHERE c.id = ? AND c.deleted_at IS NULL`
		if kind == contribution.KindIdea {
			q = "SELECT author_id, process_id, NULL::bigint AS document_id, moderation AS status FROM ideas WHERE id = ?"
		}
		if err := conn.Raw(q, id).Scan(&t).Error; err != nil {
			return fmt.Errorf("moderation: flag target: %w", err)
		}
		if len(t) == 0 || t[0].Status != string(comment.StatusPublished) {
			return ErrNothingToFlag
		}
		target := t[0]
		if target.AuthorID == actor.UserID {
			return ErrOwnContribution
		}
		col := "comment_id"
		if kind == contribution.KindIdea {
			col = "idea_id"
		}
		var counts struct {
			Mine, Upheld, Rejected int
		}
		if err := conn.Raw(`SELECT count(*) FILTER (WHERE `+col+` = @id) AS mine, count(*) FILTER (WHERE outcome = 'upheld') AS upheld,
			count(*) FILTER (WHERE outcome = 'rejected') AS rejected FROM moderation_flags WHERE user_id = @u`,
			map[string]any{"id": id, "u": actor.UserID}).Scan(&counts).Error; err != nil {
			return fmt.Errorf("moderation: flagger's record: %w", err)
		}
		if counts.Mine > 0 {
			return ErrAlreadyFlagged
		}
		now := s.opt.Now().UTC()
		if err := conn.Exec(`INSERT INTO moderation_flags (process_id, `+col+`, user_id, reason, note, weight, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, target.ProcessID, id, actor.UserID, in.Reason, in.Note,
			flagWeight(counts.Upheld, counts.Rejected), now).Error; err != nil {
			return fmt.Errorf("moderation: flag: %w", err)
		}
		var open struct {
			N      int
			Weight float64
		}
		if err := conn.Raw(`SELECT count(*) AS n, coalesce(sum(weight), 0) AS weight FROM moderation_flags
			WHERE `+col+` = ? AND outcome IS NULL`, id).Scan(&open).Error; err != nil {
			return fmt.Errorf("moderation: flag weight: %w", err)
		}
		// Bring the contribution to the queue, or update its item.
		res := conn.Exec(`UPDATE moderation_items SET flags = ?, flag_weight = ?, version = version + 1,
			cause = CASE WHEN state = 'decided' THEN 'flags' ELSE cause END,
			queued_at = CASE WHEN state = 'decided' THEN ?::timestamptz ELSE queued_at END,
			state = CASE WHEN state = 'decided' THEN 'open' ELSE state END
			WHERE `+col+` = ?`, open.N, open.Weight, now, id)
		if res.Error != nil {
			return fmt.Errorf("moderation: flag item: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			if err := conn.Exec(`INSERT INTO moderation_items (process_id, `+col+`, document_id, author_id, cause, flags, flag_weight,
				created_at, queued_at) VALUES (?, ?, ?, ?, 'flags', ?, ?, ?, ?)`, target.ProcessID, id, target.DocumentID,
				target.AuthorID, open.N, open.Weight, now, now).Error; err != nil {
				return fmt.Errorf("moderation: flag item: %w", err)
			}
		}
		st, err := s.settingsOf(ctx, target.ProcessID)
		if err != nil {
			return err
		}
		if open.Weight+1e-9 < float64(st.FlagThreshold) {
			return nil
		}
		hidden = true
		if kind == contribution.KindIdea {
			err = s.ideas.SetModeration(ctx, id, idea.ModerationHidden)
		} else {
			err = s.comments.SetStatus(ctx, id, comment.StatusHidden)
		}
		if err != nil {
			return err
		}
		return s.events.Emit(ctx, event.ContributionHidden{ProcessID: target.ProcessID, Kind: string(kind), ID: id, DocumentID: target.DocumentID})
	})
	return hidden, err
}
