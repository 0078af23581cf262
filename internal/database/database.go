// Package database opens PostgreSQL through GORM, carries transactions on the
// context, applies the embedded migrations and, when no server is configured,
// runs a private PostgreSQL cluster in a local folder.
package database

import (
	"context"
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// PoolOptions bounds the connection pool so the API never asks PostgreSQL for more
// connections than max_connections allows.
type PoolOptions struct {
	MaxOpen int
	MaxIdle int
}

// Open connects to the database at dsn and checks it answers.
func Open(ctx context.Context, dsn string, pool PoolOptions) (*gorm.DB, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("database: %w", err)
	}
	db, err := gorm.Open(postgres.New(postgres.Config{Conn: stdlib.OpenDB(*cfg)}), &gorm.Config{
		Logger:                 logger.Discard,
		TranslateError:         true,
		SkipDefaultTransaction: true,
		NowFunc:                func() time.Time { return time.Now().UTC() },
	})
	if err != nil {
		return nil, fmt.Errorf("database: open: %w", err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, fmt.Errorf("database: pool: %w", err)
	}
	if pool.MaxOpen > 0 {
		sqlDB.SetMaxOpenConns(pool.MaxOpen)
	}
	if pool.MaxIdle > 0 {
		sqlDB.SetMaxIdleConns(pool.MaxIdle)
	}
	sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := sqlDB.PingContext(pingCtx); err != nil {
		_ = sqlDB.Close()
		return nil, fmt.Errorf("database: ping: %w", err)
	}
	return db, nil
}

// Close releases the pool behind db.
func Close(db *gorm.DB) error {
	sqlDB, err := db.DB()
	if err != nil {
		return err
	}
	return sqlDB.Close()
}

type txKey struct{}

// txState is the transaction a context carries and the functions to run once
// it commits.
type txState struct {
	tx    *gorm.DB
	after []func(context.Context)
}

// Conn returns the transaction carried by ctx, or base bound to ctx; every store
// query starts here so it joins the caller's transaction when there is one.
func Conn(ctx context.Context, base *gorm.DB) *gorm.DB {
	if st, ok := ctx.Value(txKey{}).(*txState); ok {
		return st.tx
	}
	return base.WithContext(ctx)
}

// InTransaction reports whether ctx carries a transaction.
func InTransaction(ctx context.Context) bool {
	_, ok := ctx.Value(txKey{}).(*txState)
	return ok
}

// AfterCommit runs fn once the transaction carried by ctx commits, and never
// when it rolls back; without a transaction it runs fn at once. fn receives a
// context that outlives the transaction (and the request's cancellation).
func AfterCommit(ctx context.Context, fn func(ctx context.Context)) {
	if st, ok := ctx.Value(txKey{}).(*txState); ok {
		st.after = append(st.after, fn)
		return
	}
	fn(context.WithoutCancel(ctx))
}

// Tx is a transaction begun with Begin; its owner commits or rolls it back.
type Tx struct {
	DB  *gorm.DB // the transaction's handle
	ctx context.Context
	st  *txState
}

// Begin starts a transaction and returns a context carrying it, so every store
// call made with that context joins it; the caller commits or rolls back tx.
func Begin(ctx context.Context, base *gorm.DB) (context.Context, *Tx, error) {
	db := base.WithContext(ctx).Begin()
	if db.Error != nil {
		return ctx, nil, db.Error
	}
	st := &txState{tx: db}
	ctx = context.WithValue(ctx, txKey{}, st)
	return ctx, &Tx{DB: db, ctx: ctx, st: st}, nil
}

// Commit commits the transaction and then runs its after-commit functions.
func (t *Tx) Commit() error {
	if err := t.DB.Commit().Error; err != nil {
		return err
	}
	t.st.runAfter(t.ctx)
	return nil
}

// Rollback abandons the transaction; its after-commit functions never run.
func (t *Tx) Rollback() {
	t.DB.Rollback()
	t.st.after = nil
}

func (st *txState) runAfter(ctx context.Context) {
	ctx = context.WithoutCancel(context.WithValue(ctx, txKey{}, nil))
	after := st.after
	st.after = nil
	for _, fn := range after {
		fn(ctx)
	}
}

// InTx runs fn in one transaction carried on the context it receives; nested calls
// join the outer transaction. fn's error rolls everything back. Functions given
// to AfterCommit inside it run after the outermost transaction commits.
func InTx(ctx context.Context, base *gorm.DB, fn func(ctx context.Context) error) error {
	if _, ok := ctx.Value(txKey{}).(*txState); ok {
		return fn(ctx)
	}
	var st *txState
	err := base.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		st = &txState{tx: tx}
		return fn(context.WithValue(ctx, txKey{}, st))
	})
	if err != nil {
		return err
	}
	st.runAfter(ctx)
	return nil
}

// InSnapshot runs fn in a read-only REPEATABLE READ transaction of its own,
// carried on the context fn receives, so every read fn makes sees one
// snapshot of committed data (figures that add up). It never joins a
// transaction ctx carries: it takes its own connection.
func InSnapshot(ctx context.Context, base *gorm.DB, fn func(ctx context.Context) error) error {
	ctx = context.WithValue(ctx, txKey{}, nil)
	return base.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").Error; err != nil {
			return err
		}
		return fn(context.WithValue(ctx, txKey{}, &txState{tx: tx}))
	})
}

// TextArray maps a PostgreSQL text[] column to a Go string slice.
type TextArray []string

// Scan reads a text[] value.
func (a *TextArray) Scan(src any) error {
	var s []string
	if err := pgtype.NewMap().SQLScanner(&s).Scan(src); err != nil {
		return fmt.Errorf("database: scan text[]: %w", err)
	}
	*a = s
	return nil
}

// Value writes the slice as a text[] literal.
func (a TextArray) Value() (driver.Value, error) {
	if a == nil {
		return "{}", nil
	}
	typ, _ := pgtype.NewMap().TypeForName("_text")
	buf, err := pgtype.NewMap().Encode(typ.OID, pgtype.TextFormatCode, []string(a), nil)
	if err != nil {
		return nil, fmt.Errorf("database: encode text[]: %w", err)
	}
	return string(buf), nil
}

// GormDataType tells GORM the column type.
func (TextArray) GormDataType() string { return "text[]" }

// JSONArray maps a jsonb array column to a Go slice; NULL reads as an empty
// slice and a nil slice is written as [].
type JSONArray[T any] []T

// Scan reads a jsonb array.
func (a *JSONArray[T]) Scan(src any) error {
	var b []byte
	switch v := src.(type) {
	case []byte:
		b = v
	case string:
		b = []byte(v)
	case nil:
		*a = JSONArray[T]{}
		return nil
	default:
		return fmt.Errorf("database: scan jsonb array: unexpected %T", src)
	}
	out := JSONArray[T]{}
	if err := json.Unmarshal(b, &out); err != nil {
		return fmt.Errorf("database: scan jsonb array: %w", err)
	}
	if out == nil { // the JSON was null
		out = JSONArray[T]{}
	}
	*a = out
	return nil
}

// Value writes the slice as a jsonb array.
func (a JSONArray[T]) Value() (driver.Value, error) {
	if a == nil {
		return "[]", nil
	}
	b, err := json.Marshal([]T(a))
	if err != nil {
		return nil, fmt.Errorf("database: encode jsonb array: %w", err)
	}
	return string(b), nil
}

// GormDataType tells GORM the column type.
func (JSONArray[T]) GormDataType() string { return "jsonb" }

// Array passes a Go slice as one PostgreSQL array parameter (GORM would expand
// a bare slice into a list of parameters). Type names the array type, such as
// "_int8" or "_text"; nil elements of pointer slices become NULL.
type Array struct {
	Type   string
	Values any
}

// Value encodes the slice as an array literal.
func (a Array) Value() (driver.Value, error) {
	// Integer arrays, the common case (ids, signatures), need no type lookup.
	switch v := a.Values.(type) {
	case []int64:
		return intLiteral(v), nil
	case []int32:
		return intLiteral(v), nil
	}
	m := pgtype.NewMap()
	typ, ok := m.TypeForName(a.Type)
	if !ok {
		return nil, fmt.Errorf("database: unknown array type %q", a.Type)
	}
	buf, err := m.Encode(typ.OID, pgtype.TextFormatCode, a.Values, nil)
	if err != nil {
		return nil, fmt.Errorf("database: encode %s: %w", a.Type, err)
	}
	if buf == nil {
		return "{}", nil
	}
	return string(buf), nil
}

// intLiteral is the array literal of integers: {1,-2,3}.
func intLiteral[T int32 | int64](v []T) string {
	b := make([]byte, 0, 2+len(v)*11)
	b = append(b, '{')
	for i, x := range v {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, int64(x), 10)
	}
	return string(append(b, '}'))
}
