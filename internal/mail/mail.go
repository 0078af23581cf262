// Package mail sends e-mail through a transactional outbox: a change writes its
// message into the outbox table in its own transaction, and a worker inside the
// binary delivers it later, by SMTP or, with none configured, as .eml files.
package mail

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"mime"
	netmail "net/mail"
	"net/smtp"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"gorm.io/gorm"

	"cocreate/internal/database"
)

// Message is one e-mail to send.
type Message struct {
	UserID  *int64 // the account it concerns; its pending mail goes when the account does
	Kind    string // e.g. "verify_email", for logs and tests
	To      string
	Subject string
	Body    string // plain text
	// UnsubscribeURL, when set, is the one-click link (RFC 8058) the message
	// carries in its List-Unsubscribe header: an HTTPS address that takes a
	// POST and needs no sign-in.
	UnsubscribeURL string
}

type outboxRow struct {
	ID        int64     `gorm:"column:id;primaryKey"`
	UserID    *int64    `gorm:"column:user_id"`
	Kind      string    `gorm:"column:kind"`
	Recipient string    `gorm:"column:recipient"`
	Subject   string    `gorm:"column:subject"`
	Body      string    `gorm:"column:body"`
	Attempts  int       `gorm:"column:attempts"`
	CreatedAt time.Time `gorm:"column:created_at"`
	// Unsubscribe is the List-Unsubscribe address, nil for transactional mail.
	Unsubscribe *string `gorm:"column:unsubscribe_url"`
}

func (outboxRow) TableName() string { return "outbox" }

// Enqueue writes m to the outbox, inside the transaction carried by ctx if any,
// so the message exists exactly when the change that caused it commits.
func Enqueue(ctx context.Context, db *gorm.DB, m Message) error {
	return NewStore(db).Insert(ctx, m.row())
}

// EnqueueAll writes ms to the outbox in one statement per few hundred, as
// Enqueue does one.
func EnqueueAll(ctx context.Context, db *gorm.DB, ms []Message) error {
	if len(ms) == 0 {
		return nil
	}
	rows := make([]*outboxRow, len(ms))
	for i, m := range ms {
		rows[i] = m.row()
	}
	return NewStore(db).InsertAll(ctx, rows)
}

func (m Message) row() *outboxRow {
	r := &outboxRow{UserID: m.UserID, Kind: m.Kind, Recipient: m.To, Subject: m.Subject, Body: m.Body}
	if m.UnsubscribeURL != "" {
		u := m.UnsubscribeURL
		r.Unsubscribe = &u
	}
	return r
}

// Worker delivers pending outbox messages.
type Worker struct {
	DB      *gorm.DB
	Log     *slog.Logger
	From    string
	SMTPURL string // smtp://user:pass@host:port; empty writes .eml files to Dir
	Dir     string
	Now     func() time.Time
	// Send, when set, delivers each formatted message in place of SMTP or
	// the folder (tests record deliveries with it).
	Send func(to string, msg []byte) error
}

// DrainOnce delivers up to 50 due messages and returns how many were sent. Rows
// are claimed with SKIP LOCKED and marked sent in the same transaction, so
// every instance drains the one outbox side by side and none delivers a
// message another holds or has sent.
func (w *Worker) DrainOnce(ctx context.Context) (int, error) {
	store := NewStore(w.DB)
	sent := 0
	err := database.InTx(ctx, w.DB, func(ctx context.Context) error {
		rows, err := store.ClaimDue(ctx, 50)
		if err != nil {
			return err
		}
		for _, r := range rows {
			if err := w.deliver(r); err != nil {
				// Back off: 1, 2, 4 ... minutes, capped at an hour.
				delay := time.Duration(min(1<<r.Attempts, 60)) * time.Minute
				w.Log.Warn("mail: delivery failed", "outbox_id", r.ID, "kind", r.Kind, "error", err.Error())
				if err := store.MarkFailed(ctx, r.ID, r.Attempts+1, err.Error(), delay); err != nil {
					return err
				}
				continue
			}
			// The body may hold a secret link: keep the record, not the text.
			if err := store.MarkSent(ctx, r.ID, r.Attempts+1); err != nil {
				return err
			}
			w.Log.Info("mail: sent", "outbox_id", r.ID, "kind", r.Kind)
			sent++
		}
		return nil
	})
	return sent, err
}

func (w *Worker) deliver(r outboxRow) error {
	msg := format(w.From, r, w.now())
	if w.Send != nil {
		return w.Send(r.Recipient, msg)
	}
	if w.SMTPURL == "" {
		if err := os.MkdirAll(w.Dir, 0o700); err != nil {
			return err
		}
		name := filepath.Join(w.Dir, fmt.Sprintf("%06d-%s.eml", r.ID, r.Kind))
		return os.WriteFile(name, msg, 0o600)
	}
	u, err := url.Parse(w.SMTPURL)
	if err != nil {
		return fmt.Errorf("SMTP_URL: %w", err)
	}
	var auth smtp.Auth
	if u.User != nil {
		pw, _ := u.User.Password()
		auth = smtp.PlainAuth("", u.User.Username(), pw, u.Hostname())
	}
	return smtp.SendMail(u.Host, auth, w.From, []string{r.Recipient}, msg)
}

func (w *Worker) now() time.Time {
	if w.Now != nil {
		return w.Now()
	}
	return time.Now()
}

// format renders an RFC 5322 message with a UTF-8 plain-text body.
func format(from string, r outboxRow, now time.Time) []byte {
	var b bytes.Buffer
	domain := "localhost"
	if a, err := netmail.ParseAddress(from); err == nil {
		domain = a.Address[strings.LastIndex(a.Address, "@")+1:]
	}
	fmt.Fprintf(&b, "From: %s\r\n", from)
	fmt.Fprintf(&b, "To: %s\r\n", r.Recipient)
	fmt.Fprintf(&b, "Subject: %s\r\n", mime.QEncoding.Encode("utf-8", r.Subject))
	fmt.Fprintf(&b, "Date: %s\r\n", now.UTC().Format(time.RFC1123Z))
	fmt.Fprintf(&b, "Message-ID: <outbox-%d-%d@%s>\r\n", r.ID, r.CreatedAt.Unix(), domain)
	if r.Unsubscribe != nil && !strings.ContainsAny(*r.Unsubscribe, "\r\n<>") {
		// RFC 8058: a mail client may unsubscribe with one POST, no sign-in.
		fmt.Fprintf(&b, "List-Unsubscribe: <%s>\r\n", *r.Unsubscribe)
		b.WriteString("List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n")
	}
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
	b.WriteString(strings.ReplaceAll(r.Body, "\n", "\r\n"))
	return b.Bytes()
}
