package process

import (
	"context"
	"encoding/base64"
	"strconv"
	"strings"
	"unicode/utf8"

	"cocreate/internal/apperr"
	"cocreate/internal/auth"
)

// Person is an account found to be given a role: its public name and the
// roles it holds in the process already. Never its e-mail address.
type Person struct {
	UserID int64
	Name   string
	Roles  []Role
}

// PeopleQuery is a search for accounts: an exact e-mail address, or part of
// a display name (one page of it).
type PeopleQuery struct {
	Text   string
	Cursor string // "" for the first page
	Limit  int    // 1..MaxPeoplePage
}

// PeoplePage is one page of accounts found, with the cursor of the next ("" on
// the last) and whether the text was taken as an e-mail address.
type PeoplePage struct {
	Items      []Person
	NextCursor string
	ByEmail    bool
}

// Bounds of an account search.
const (
	MinPeopleQuery = 2
	MaxPeopleQuery = 254
	MaxPeoplePage  = 50
)

// FindPeople finds accounts to give a role in a process, for those who may
// grant roles there (its owners, administrators). It reveals as little as it
// can: a text with an "@" finds only the account with exactly that address;
// other text finds accounts whose display name contains it, by name. Only
// live, confirmed, unsuspended accounts are found, and only their public name
// and roles in this process come back, never an address.
func (s *Service) FindPeople(ctx context.Context, actor auth.Principal, slug string, q PeopleQuery) (PeoplePage, error) {
	p, err := s.Get(ctx, slug)
	if err != nil {
		return PeoplePage{}, err
	}
	if err := s.Readable(ctx, actor, p); err != nil {
		return PeoplePage{}, err
	}
	if _, err := s.Require(ctx, actor, p.ID, GrantRoles, ErrRoleForbidden); err != nil {
		return PeoplePage{}, err
	}
	text := strings.TrimSpace(q.Text)
	var f apperr.Fields
	switch n := utf8.RuneCountInString(text); {
	case n < MinPeopleQuery || n > MaxPeopleQuery:
		f.Add("q", "length", "2 to 254 characters")
	case strings.ContainsAny(text, "\x00\r\n\t"):
		f.Add("q", "characters", "one line, without control characters")
	}
	var after peopleCursor
	if q.Cursor != "" {
		var ok bool
		if after, ok = decodePeopleCursor(q.Cursor); !ok {
			f.Add("cursor", "cursor", "not a cursor this server issued")
		}
	}
	if err := f.Err(CodeInvalid); err != nil {
		return PeoplePage{}, err
	}
	limit := max(1, min(q.Limit, MaxPeoplePage))
	if strings.Contains(text, "@") {
		people, err := s.store.PersonByEmail(ctx, p.ID, text)
		return PeoplePage{Items: people, ByEmail: true}, err
	}
	people, err := s.store.PeopleByName(ctx, p.ID, text, after, limit+1)
	if err != nil {
		return PeoplePage{}, err
	}
	page := PeoplePage{Items: people}
	if len(people) > limit {
		page.Items = people[:limit]
		last := page.Items[limit-1]
		page.NextCursor = encodePeopleCursor(peopleCursor{Name: strings.ToLower(last.Name), ID: last.UserID})
	}
	return page, nil
}

// peopleCursor is where a page of a name search ends: the last name (lower
// case, the sort key) and account id.
type peopleCursor struct {
	Name string
	ID   int64
}

func encodePeopleCursor(c peopleCursor) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(c.ID, 10) + ":" + c.Name))
}

func decodePeopleCursor(s string) (peopleCursor, bool) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return peopleCursor{}, false
	}
	id, name, ok := strings.Cut(string(b), ":")
	n, err := strconv.ParseInt(id, 10, 64)
	if !ok || err != nil || n < 1 || !utf8.ValidString(name) {
		return peopleCursor{}, false
	}
	return peopleCursor{Name: name, ID: n}, true
}
