// Package survey is feedback on the process: when a phase closes, the people
// who took part in it may answer a short survey about it, once, for Window
// after the close. Answers keep the account only for the one-answer rule (the
// close sweep clears it); free-text answers are kept apart from the answer and
// published only once a moderator approves them; results show no figure
// counted over fewer than MinGroup answers.
package survey

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"cocreate/internal/apperr"
	"cocreate/internal/process"
)

// Window is how long a phase's survey stays open after the phase closes.
const Window = 30 * 24 * time.Hour

// MinGroup is the fewest answers a figure is counted over: below it a
// question's results say "fewer than 5" and give no values.
const MinGroup = 5

// The bounds of questions and answers.
const (
	MaxQuestions = 10
	MaxPrompt    = 300
	MinOptions   = 2
	MaxOptions   = 8
	MaxOption    = 100
	MaxText      = 2000
)

// Kind is what sort of answer a question takes.
type Kind string

// The kinds of question.
const (
	KindScale  Kind = "scale"  // 1 to 5
	KindYesNo  Kind = "yes_no" // yes or no
	KindChoice Kind = "choice" // one of its options
	KindText   Kind = "text"   // free text, moderated before it is published
)

// Question is one question of a survey; its id is "q" and its position.
type Question struct {
	ID      string   `json:"id"`
	Kind    Kind     `json:"kind"`
	Prompt  string   `json:"prompt"`
	Options []string `json:"options,omitempty"`
}

// Defaults are the questions of a survey its owners have not edited.
var Defaults = []Question{
	{ID: "q1", Kind: KindScale, Prompt: "How clear was what you could influence?"},
	{ID: "q2", Kind: KindYesNo, Prompt: "Did you have enough time and information?"},
	{ID: "q3", Kind: KindScale, Prompt: "Would you take part again?"},
	{ID: "q4", Kind: KindText, Prompt: "Anything else you want to tell the team?"},
}

// State is where a survey stands at a time.
type State string

// The states of a survey.
const (
	StateUpcoming State = "upcoming" // its phase has not closed yet
	StateOpen     State = "open"
	StateClosed   State = "closed"
)

// Survey is the survey of one phase of a process.
type Survey struct {
	ProcessID int64
	Slug      string
	Phase     process.PhaseKind
	OpensAt   time.Time // when the phase closes
	ClosesAt  time.Time // OpensAt + Window
	State     State
	Edited    bool // the owners replaced the default questions
	Questions []Question
	Answers   int // how many answers it has
}

// window returns a phase's survey window and its state at now.
func window(ph process.Phase, now time.Time) (opens, closes time.Time, st State) {
	opens, closes = ph.ClosesAt, ph.ClosesAt.Add(Window)
	switch {
	case now.Before(opens):
		st = StateUpcoming
	case now.Before(closes):
		st = StateOpen
	default:
		st = StateClosed
	}
	return opens, closes, st
}

// QuestionInput is a question as an owner writes it.
type QuestionInput struct {
	Kind    Kind
	Prompt  string
	Options []string
}

// checkQuestions validates an owner's questions and returns them numbered.
func checkQuestions(in []QuestionInput) ([]Question, error) {
	var f apperr.Fields
	if len(in) == 0 || len(in) > MaxQuestions {
		f.Add("questions", "count", "between 1 and 10 questions")
		return nil, f.Err(CodeInvalid)
	}
	out := make([]Question, len(in))
	for n, q := range in {
		at := "questions[" + strconv.Itoa(n) + "]"
		prompt := strings.TrimSpace(q.Prompt)
		if l := utf8.RuneCountInString(prompt); l == 0 || l > MaxPrompt {
			f.Add(at+".prompt", "length", "between 1 and 300 characters")
		}
		var opts []string
		switch q.Kind {
		case KindScale, KindYesNo, KindText:
			if len(q.Options) > 0 {
				f.Add(at+".options", "not_allowed", "only choice questions have options")
			}
		case KindChoice:
			if len(q.Options) < MinOptions || len(q.Options) > MaxOptions {
				f.Add(at+".options", "count", "between 2 and 8 options")
			}
			seen := map[string]bool{}
			for _, o := range q.Options {
				o = strings.TrimSpace(o)
				if l := utf8.RuneCountInString(o); l == 0 || l > MaxOption {
					f.Add(at+".options", "length", "each option between 1 and 100 characters")
					break
				}
				if seen[o] {
					f.Add(at+".options", "duplicate", "options differ from one another")
					break
				}
				seen[o] = true
				opts = append(opts, o)
			}
		default:
			f.Add(at+".kind", "enum", "scale, yes_no, choice or text")
		}
		out[n] = Question{ID: "q" + strconv.Itoa(n+1), Kind: q.Kind, Prompt: prompt, Options: opts}
	}
	if err := f.Err(CodeInvalid); err != nil {
		return nil, err
	}
	return out, nil
}

// Value is one answer to one question: Scale for a scale, Yes for yes/no,
// Choice for a choice, Text for free text; exactly the one its kind takes.
type Value struct {
	Question string
	Scale    *int
	Yes      *bool
	Choice   *string
	Text     *string
}

// checked is an answer validated against its questions: the closed answers
// by question id and the free texts.
type checked struct {
	values map[string]any
	texts  []text
}

type text struct {
	question string
	body     string
}

// checkAnswer validates values against the survey's questions. Every
// question may be left out, but an answer answers at least one.
func checkAnswer(qs []Question, values []Value) (checked, error) {
	var f apperr.Fields
	by := map[string]Question{}
	for _, q := range qs {
		by[q.ID] = q
	}
	out := checked{values: map[string]any{}}
	seen := map[string]bool{}
	for n, v := range values {
		at := "answers[" + strconv.Itoa(n) + "]"
		q, ok := by[v.Question]
		if !ok {
			f.Add(at+".question", "unknown", "no such question in this survey")
			continue
		}
		if seen[q.ID] {
			f.Add(at+".question", "duplicate", "one answer per question")
			continue
		}
		seen[q.ID] = true
		given := 0
		for _, p := range []bool{v.Scale != nil, v.Yes != nil, v.Choice != nil, v.Text != nil} {
			if p {
				given++
			}
		}
		switch {
		case given != 1:
			f.Add(at, "value", "exactly one value")
		case q.Kind == KindScale && v.Scale != nil:
			if *v.Scale < 1 || *v.Scale > 5 {
				f.Add(at+".scale", "range", "from 1 to 5")
				continue
			}
			out.values[q.ID] = *v.Scale
		case q.Kind == KindYesNo && v.Yes != nil:
			out.values[q.ID] = *v.Yes
		case q.Kind == KindChoice && v.Choice != nil:
			valid := false
			for _, o := range q.Options {
				valid = valid || o == *v.Choice
			}
			if !valid {
				f.Add(at+".choice", "enum", "one of the question's options")
				continue
			}
			out.values[q.ID] = *v.Choice
		case q.Kind == KindText && v.Text != nil:
			body := strings.TrimSpace(*v.Text)
			if utf8.RuneCountInString(body) > MaxText {
				f.Add(at+".text", "length", "at most 2000 characters")
				continue
			}
			if body != "" {
				out.texts = append(out.texts, text{question: q.ID, body: body})
			}
		default:
			f.Add(at, "kind", "a value of the question's kind ("+string(q.Kind)+")")
		}
	}
	if err := f.Err(CodeInvalid); err != nil {
		return checked{}, err
	}
	if len(out.values) == 0 && len(out.texts) == 0 {
		f.Add("answers", "required", "answer at least one question")
		return checked{}, f.Err(CodeInvalid)
	}
	return out, nil
}
