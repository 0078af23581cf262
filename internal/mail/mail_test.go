package mail_test

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"cocreate/internal/database"
	"cocreate/internal/logging"
	"cocreate/internal/mail"
	"cocreate/internal/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m)) }

func TestOutboxIsWrittenWithTheChangeAndDeliveredOnce(t *testing.T) {
	db := pgtest.New(t).DB
	ctx := context.Background()
	dir := t.TempDir()

	// A message queued in a transaction that rolls back never exists.
	boom := errors.New("boom")
	err := database.InTx(ctx, db, func(ctx context.Context) error {
		if err := mail.Enqueue(ctx, db, mail.Message{Kind: "test", To: "gone@example.org", Subject: "x", Body: "x"}); err != nil {
			return err
		}
		return boom
	})
	require.ErrorIs(t, err, boom)
	require.EqualValues(t, 0, pgtest.Count(t, db, "outbox", ""))

	require.NoError(t, mail.Enqueue(ctx, db, mail.Message{Kind: "verify_email", To: "ana@example.org",
		Subject: "Confirmez votre adresse électronique", Body: "Open https://example.org/verify-email?token=abc\nThanks"}))

	w := &mail.Worker{DB: db, Log: logging.New(io.Discard, "error"), From: "Cocreate <no-reply@example.org>", Dir: dir}
	n, err := w.DrainOnce(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	n, err = w.DrainOnce(ctx)
	require.NoError(t, err)
	require.Equal(t, 0, n, "sent messages are not sent again")

	files, err := filepath.Glob(filepath.Join(dir, "*.eml"))
	require.NoError(t, err)
	require.Len(t, files, 1)
	b, err := os.ReadFile(files[0])
	require.NoError(t, err)
	msg := string(b)
	require.Contains(t, msg, "To: ana@example.org\r\n")
	require.Contains(t, msg, "Subject: =?utf-8?q?Confirmez_votre_adresse_=C3=A9lectronique?=\r\n")
	require.Regexp(t, `Message-ID: <outbox-\d+-\d+@example\.org>\r\n`, msg)
	require.Contains(t, msg, "verify-email?token=abc\r\nThanks")

	require.EqualValues(t, 1, pgtest.Count(t, db, "outbox", "sent_at IS NOT NULL AND body = ''"), "the sent body, with its secret link, is erased")
}

func TestFailedDeliveryIsRetriedLater(t *testing.T) {
	db := pgtest.New(t).DB
	ctx := context.Background()
	require.NoError(t, mail.Enqueue(ctx, db, mail.Message{Kind: "test", To: "ana@example.org", Subject: "s", Body: "b"}))
	// A file where the mail folder should be makes every delivery fail.
	blocker := filepath.Join(t.TempDir(), "not-a-dir")
	require.NoError(t, os.WriteFile(blocker, nil, 0o600))
	w := &mail.Worker{DB: db, Log: logging.New(io.Discard, "error"), From: "no-reply@example.org", Dir: blocker}
	n, err := w.DrainOnce(ctx)
	require.NoError(t, err)
	require.Zero(t, n)
	var lastErr string
	require.NoError(t, db.Raw("SELECT last_error FROM outbox").Scan(&lastErr).Error)
	require.True(t, strings.Contains(lastErr, "not-a-dir"), lastErr)
	require.EqualValues(t, 1, pgtest.Count(t, db, "outbox", "attempts = 1 AND sent_at IS NULL AND next_attempt_at > now()"))
}
