package event

// The events of the system, one type each. A new kind of event is one more
// type here; the composition root (internal/app) says who subscribes to it.

// DocumentChanged says something a document's public reads show changed: a
// comment on it was posted, edited, deleted, voted on, or moderated.
type DocumentChanged struct {
	DocumentID int64 `json:"document_id"`
	// Thread is the paragraph (its anchor key) whose thread the write
	// touched, besides the document's counts; "" when the write may touch
	// any read of the document (a comment in an orphaned thread).
	Thread string `json:"thread,omitempty"`
	// Votes says only the vote counts of Thread's comments changed.
	Votes bool `json:"votes,omitempty"`
}

// VersionPublished says a new version of a document is public. Its comments
// are re-anchored in the publishing transaction.
type VersionPublished struct {
	ProcessID         int64  `json:"process_id"`
	DocumentID        int64  `json:"document_id"`
	VersionID         int64  `json:"version_id"`
	Number            int    `json:"number"`
	PreviousVersionID *int64 `json:"previous_version_id,omitempty"` // nil for the first version
}

// ContributionDecided says a moderator (or the time-box) decided a held or
// flagged contribution.
type ContributionDecided struct {
	ProcessID   int64  `json:"process_id"`
	ItemID      int64  `json:"item_id"`
	Kind        string `json:"kind"` // comment or idea
	ID          int64  `json:"id"`
	DocumentID  *int64 `json:"document_id,omitempty"` // a comment's document
	AuthorID    int64  `json:"author_id"`
	Outcome     string `json:"outcome"` // approve, reject, redact, escalate, auto_publish
	Reason      string `json:"reason,omitempty"`
	Explanation string `json:"explanation,omitempty"`
	// Edit says the decision was on the author's edit of a published
	// contribution: approve published the edit, reject discarded it and the
	// published text stays.
	Edit bool `json:"edit,omitempty"`
}

// ContributionHidden says enough flags hid a published contribution until a
// moderator decides.
type ContributionHidden struct {
	ProcessID  int64  `json:"process_id"`
	Kind       string `json:"kind"`
	ID         int64  `json:"id"`
	DocumentID *int64 `json:"document_id,omitempty"`
}

// Answered is one contribution a published response answered, and its author.
type Answered struct {
	Kind     string `json:"kind"` // comment or idea
	ID       int64  `json:"id"`
	AuthorID int64  `json:"author_id"`
}

// ResponsePublished says the forum published a reasoned response into the
// process's ledger.
type ResponsePublished struct {
	ProcessID   int64      `json:"process_id"`
	ResponseID  int64      `json:"response_id"`
	Seq         int64      `json:"seq"`
	Disposition string     `json:"disposition"`
	Answered    []Answered `json:"answered"`
}

// ClusterChanged says contributions joined a cluster; when the cluster was
// already answered, they are answered too.
type ClusterChanged struct {
	ProcessID int64 `json:"process_id"`
	ClusterID int64 `json:"cluster_id"`
}

// AccountRenamed says an account's public name changed, or went with the
// account's erasure (its contributions now show its pseudonym).
type AccountRenamed struct {
	UserID int64 `json:"user_id"`
}

// EventName names the event in logs and storage.
func (AccountRenamed) EventName() string { return "account_renamed" }

// ImplementationChanged says something a process's implementation dashboard
// shows changed: a commitment, its milestones or working group, a question,
// or the process's implementation settings.
type ImplementationChanged struct {
	ProcessID    int64 `json:"process_id"`
	CommitmentID int64 `json:"commitment_id,omitempty"` // 0 for the process's settings
}

// ProgressPublished says a progress update of a commitment was published
// into the process's ledger.
type ProgressPublished struct {
	ProcessID    int64  `json:"process_id"`
	CommitmentID int64  `json:"commitment_id"`
	UpdateID     int64  `json:"update_id"`
	Seq          int64  `json:"seq"`
	Kind         string `json:"kind"` // government or joint
}

// EventName names the event in logs and storage.
func (DocumentChanged) EventName() string { return "document_changed" }

// EventName names the event in logs and storage.
func (ImplementationChanged) EventName() string { return "implementation_changed" }

// EventName names the event in logs and storage.
func (ProgressPublished) EventName() string { return "progress_published" }

// EventName names the event in logs and storage.
func (VersionPublished) EventName() string { return "version_published" }

// EventName names the event in logs and storage.
func (ContributionDecided) EventName() string { return "contribution_decided" }

// EventName names the event in logs and storage.
func (ContributionHidden) EventName() string { return "contribution_hidden" }

// EventName names the event in logs and storage.
func (ResponsePublished) EventName() string { return "response_published" }

// EventName names the event in logs and storage.
func (ClusterChanged) EventName() string { return "cluster_changed" }

// CommentPosted says a comment or a reply was stored: on a paragraph, an
// idea or a progress update. Status is its moderation status then
// (published, or pending when held).
type CommentPosted struct {
	ProcessID  int64  `json:"process_id"`
	CommentID  int64  `json:"comment_id"`
	AuthorID   int64  `json:"author_id"`
	DocumentID *int64 `json:"document_id,omitempty"`
	IdeaID     *int64 `json:"idea_id,omitempty"`
	ParentID   *int64 `json:"parent_id,omitempty"`
	Status     string `json:"status"`
	// OnBehalf says a process owner entered it for someone who took part
	// offline: nobody follows anything by it.
	OnBehalf bool `json:"on_behalf,omitempty"`
}

// IdeaProposed says an idea was stored (published or held).
type IdeaProposed struct {
	ProcessID int64 `json:"process_id"`
	IdeaID    int64 `json:"idea_id"`
	AuthorID  int64 `json:"author_id"`
	OnBehalf  bool  `json:"on_behalf,omitempty"`
}

// UpdatePublished says a process published a dated update (news post).
type UpdatePublished struct {
	ProcessID int64  `json:"process_id"`
	UpdateID  int64  `json:"update_id"`
	AuthorID  int64  `json:"author_id,omitempty"`
	Title     string `json:"title"`
}

// EventName names the event in logs and storage.
func (CommentPosted) EventName() string { return "comment_posted" }

// EventName names the event in logs and storage.
func (IdeaProposed) EventName() string { return "idea_proposed" }

// EventName names the event in logs and storage.
func (UpdatePublished) EventName() string { return "update_published" }
