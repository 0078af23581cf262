// Package migrations holds the numbered SQL files that define the schema; they are
// embedded in the binary and applied in order by internal/database.
package migrations

import "embed"

// FS is the set of migration files, named NNNN_description.sql.
//
//go:embed *.sql
var FS embed.FS
