package database

// The advisory locks of the application, in one place so no two uses share a
// key by accident. Two-key locks take a class (the first key) and an int32 id
// (the second); single-key locks hash a name with a prefix from this list.

// LockClass is the first key of a two-key advisory lock: what the id names.
type LockClass int32

// The lock classes.
const (
	// LockDocument serialises publishing a document's version (exclusive)
	// against comment writes on it (shared).
	LockDocument LockClass = 2
	// LockComment is held shared by votes on a comment, exclusively by its
	// deletion and moderation.
	LockComment LockClass = 3
	// LockVoter serialises one person's votes.
	LockVoter LockClass = 4
	// LockIdea is held shared by supports and comments on an idea, and
	// exclusively by edits, withdrawal, merges and status changes.
	LockIdea LockClass = 5
	// LockSupporter serialises one person's supports, so the per-person rules
	// count what is committed.
	LockSupporter LockClass = 6
	// LockFlagComment serialises the flags on one comment.
	LockFlagComment LockClass = 7
	// LockFlagIdea serialises the flags on one idea.
	LockFlagIdea LockClass = 8
)

// Single-key locks.
const (
	// lockMigrate serialises migrators across processes.
	lockMigrate = 7_401_020_001
	// LockLedgerPrefix, with the process id, serialises appends to one ledger
	// (hashed with hashtextextended).
	LockLedgerPrefix = "cocreate.ledger."
	// LockCheckpointPrefix, with the process id, marks one instance signing
	// a checkpoint of that ledger (hashed with hashtextextended), so the
	// others skip it rather than sign the same head again.
	LockCheckpointPrefix = "cocreate.checkpoint."
	// LockIdempotencyPrefix, with the user id and the key, marks a request
	// with an Idempotency-Key as running (hashed with hashtextextended).
	LockIdempotencyPrefix = "idem:"
	// LockPostingPrefix, with an account's posting-gap key, serialises its
	// posts while the screen checks the time since its last one.
	LockPostingPrefix = "posting:"
)
