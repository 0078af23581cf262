package repository_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"cocreate/internal/apptest"
	"cocreate/internal/auth"
	"cocreate/internal/blob"
	"cocreate/internal/pgtest"
	"cocreate/internal/process"
	"cocreate/internal/repository"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m)) }

// flakyStore is a blob store that keeps objects in memory and fails on demand.
type flakyStore struct {
	mu         sync.Mutex
	objects    map[string][]byte
	failPut    bool
	failDelete bool
}

func (f *flakyStore) Put(_ context.Context, key string, r io.Reader, size int64, _ string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.failPut {
		return errors.New("disk full")
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if int64(len(b)) != size {
		return errors.New("wrong size")
	}
	f.objects[key] = b
	return nil
}

func (f *flakyStore) Open(_ context.Context, key string) (io.ReadCloser, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	b, ok := f.objects[key]
	if !ok {
		return nil, blob.ErrNotFound
	}
	return io.NopCloser(bytes.NewReader(b)), nil
}

func (f *flakyStore) Delete(_ context.Context, key string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.failDelete {
		return errors.New("network down")
	}
	delete(f.objects, key)
	return nil
}

func (f *flakyStore) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.objects)
}

func setup(t *testing.T) (*apptest.Env, *flakyStore, auth.Principal) {
	t.Helper()
	store := &flakyStore{objects: map[string][]byte{}}
	env := apptest.New(t, apptest.Options{Blobs: store})
	env.Process(t, "plan", process.PhaseDrafting)
	require.NoError(t, env.Owner.Exec("UPDATE processes SET published_at = now()").Error)
	owner := env.Person(t)
	env.Grant(t, "plan", owner, process.RoleOwner)
	return env, store, owner
}

var meta = repository.Meta{Kind: repository.KindMinutes, Title: "Minutes", Date: "2027-05-03", Language: "en"}

func file(text string) repository.FileInput {
	return repository.FileInput{Name: "minutes.pdf", ContentType: "application/pdf", Size: int64(len(text)), Body: strings.NewReader(text)}
}

func count(t *testing.T, env *apptest.Env) int64 {
	t.Helper()
	var n int64
	require.NoError(t, env.Owner.Raw("SELECT count(*) FROM repository_items").Scan(&n).Error)
	return n
}

func TestAFailedInsertRemovesTheFile(t *testing.T) {
	env, store, owner := setup(t)
	ctx := context.Background()
	// A check the row cannot pass stands for any failure of the insert.
	require.NoError(t, env.Owner.Exec("ALTER TABLE repository_items ADD CONSTRAINT refuse CHECK (title <> 'Refused')").Error)
	m := meta
	m.Title = "Refused"
	_, err := env.Repository.AddFile(ctx, owner, "plan", m, file("%PDF-1.4 x"))
	require.Error(t, err)
	require.Zero(t, count(t, env))
	require.Zero(t, store.count(), "the file written before the insert is gone")

	_, err = env.Repository.AddFile(ctx, owner, "plan", meta, file("%PDF-1.4 x"))
	require.NoError(t, err)
	require.Equal(t, int64(1), count(t, env))
	require.Equal(t, 1, store.count())
}

func TestAFailedWriteOfTheFileStoresNoRow(t *testing.T) {
	env, store, owner := setup(t)
	store.failPut = true
	_, err := env.Repository.AddFile(context.Background(), owner, "plan", meta, file("%PDF-1.4 x"))
	require.ErrorContains(t, err, "disk full")
	require.Zero(t, count(t, env))
}

func TestDeleteRemovesTheRowEvenWhenTheFileCannotBe(t *testing.T) {
	env, store, owner := setup(t)
	ctx := context.Background()
	it, err := env.Repository.AddFile(ctx, owner, "plan", meta, file("%PDF-1.4 x"))
	require.NoError(t, err)
	store.failDelete = true
	require.NoError(t, env.Repository.Delete(ctx, owner, it.ID), "the item is gone for readers; the file is only wasted space")
	require.Zero(t, count(t, env))
	require.Equal(t, 1, store.count())
	_, err = env.Repository.Open(ctx, auth.Anonymous, it.ID)
	require.ErrorIs(t, err, repository.ErrNotFound)
}

func TestAFileMissingFromTheStoreIsAnInternalError(t *testing.T) {
	env, store, owner := setup(t)
	ctx := context.Background()
	it, err := env.Repository.AddFile(ctx, owner, "plan", meta, file("%PDF-1.4 x"))
	require.NoError(t, err)
	require.NoError(t, store.Delete(ctx, it.File.Key))
	_, err = env.Repository.Open(ctx, auth.Anonymous, it.ID)
	require.ErrorIs(t, err, blob.ErrNotFound)
	require.False(t, errors.Is(err, repository.ErrNotFound), "not the reader's mistake: the server logs it")
}

func TestValidationNormalises(t *testing.T) {
	env, _, owner := setup(t)
	ctx := context.Background()
	it, err := env.Repository.AddLink(ctx, owner, "plan", repository.Meta{Kind: repository.KindEvidence, Title: "  Survey  ",
		Date: " 2027-02-01 ", Language: "fr-ca"}, " https://Example.org/survey ")
	require.NoError(t, err)
	require.Equal(t, "Survey", it.Title)
	require.Equal(t, "2027-02-01", it.Date)
	require.Equal(t, "fr-CA", it.Language)
	require.Equal(t, "https://Example.org/survey", *it.URL)
	require.Equal(t, env.Clock.Now().UTC().Truncate(1000), it.CreatedAt.UTC().Truncate(1000), "added at the service's clock")

	for _, d := range []string{"1949-12-31", "2100-01-01", "2027-5-3"} {
		m := meta
		m.Date = d
		_, err := env.Repository.AddLink(ctx, owner, "plan", m, "https://example.org")
		require.Error(t, err, d)
	}
}
