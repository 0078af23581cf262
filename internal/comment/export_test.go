package comment

// The internals the package's external tests reach.
var (
	CurrentOf          = (*Service).currentOf
	ReanchorStragglers = (*Service).reanchorStragglers
)
