package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"cocreate/internal/survey"
)

// surveyQuestionJSON is one question of a survey.
type surveyQuestionJSON struct {
	ID      string   `json:"id"`
	Kind    string   `json:"kind"`
	Prompt  string   `json:"prompt"`
	Options []string `json:"options"`
}

// surveyResponse is the survey of one phase of a process.
type surveyResponse struct {
	Phase     string               `json:"phase"`
	OpensAt   time.Time            `json:"opens_at"`
	ClosesAt  time.Time            `json:"closes_at"`
	State     string               `json:"state"`
	Edited    bool                 `json:"edited"`
	Answered  bool                 `json:"answered"` // it has at least one answer: its questions are fixed
	Questions []surveyQuestionJSON `json:"questions"`
}

type surveyListResponse struct {
	Items []surveyResponse `json:"items"`
}

func toQuestionsJSON(qs []survey.Question) []surveyQuestionJSON {
	out := make([]surveyQuestionJSON, len(qs))
	for n, q := range qs {
		opts := q.Options
		if opts == nil {
			opts = []string{}
		}
		out[n] = surveyQuestionJSON{ID: q.ID, Kind: string(q.Kind), Prompt: q.Prompt, Options: opts}
	}
	return out
}

func toSurveyResponse(s survey.Survey) surveyResponse {
	return surveyResponse{Phase: string(s.Phase), OpensAt: s.OpensAt.UTC(), ClosesAt: s.ClosesAt.UTC(), State: string(s.State),
		Edited: s.Edited, Answered: s.Answers > 0, Questions: toQuestionsJSON(s.Questions)}
}

func toSurveyList(ss []survey.Survey) surveyListResponse {
	out := surveyListResponse{Items: make([]surveyResponse, len(ss))}
	for n, s := range ss {
		out.Items[n] = toSurveyResponse(s)
	}
	return out
}

// listSurveys handles GET /api/v1/processes/:slug/surveys.
func (h *handlers) listSurveys(c *gin.Context) {
	ss, err := h.surveys.List(c.Request.Context(), actorFrom(c), c.Param("slug"))
	if err != nil {
		h.fail(c, err)
		return
	}
	h.publicJSON(c, toSurveyList(ss), publicMaxAge)
}

// listInvitedSurveys handles GET /api/v1/processes/:slug/surveys/invited:
// the open surveys the caller took part in and has not answered.
func (h *handlers) listInvitedSurveys(c *gin.Context) {
	ss, err := h.surveys.Invited(c.Request.Context(), actorFrom(c), c.Param("slug"))
	if err != nil {
		h.fail(c, err)
		return
	}
	c.Header("Cache-Control", "private, no-store")
	c.JSON(http.StatusOK, toSurveyList(ss))
}

// getSurvey handles GET /api/v1/processes/:slug/surveys/:phase.
func (h *handlers) getSurvey(c *gin.Context) {
	s, err := h.surveys.Get(c.Request.Context(), actorFrom(c), c.Param("slug"), c.Param("phase"))
	if err != nil {
		h.fail(c, err)
		return
	}
	h.publicJSON(c, toSurveyResponse(s), publicMaxAge)
}

// surveyQuestionRequest is one question as an owner writes it.
type surveyQuestionRequest struct {
	Kind    string   `json:"kind" binding:"required,max=20"`
	Prompt  string   `json:"prompt" binding:"max=2000"`
	Options []string `json:"options" binding:"omitempty,max=20,dive,max=1000"`
}

type putSurveyQuestionsRequest struct {
	Questions []surveyQuestionRequest `json:"questions" binding:"max=50,dive"`
}

// putSurveyQuestions handles PUT /api/v1/processes/:slug/surveys/:phase/questions.
func (h *handlers) putSurveyQuestions(c *gin.Context) {
	var req putSurveyQuestionsRequest
	if !h.bind(c, &req) {
		return
	}
	in := make([]survey.QuestionInput, len(req.Questions))
	for n, q := range req.Questions {
		in[n] = survey.QuestionInput{Kind: survey.Kind(q.Kind), Prompt: q.Prompt, Options: q.Options}
	}
	s, err := h.surveys.PutQuestions(c.Request.Context(), actorFrom(c), c.Param("slug"), c.Param("phase"), in)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toSurveyResponse(s))
}

// surveyValueRequest is one answer to one question: the one value its kind takes.
type surveyValueRequest struct {
	Question string  `json:"question" binding:"required,max=20"`
	Scale    *int    `json:"scale"`
	Yes      *bool   `json:"yes"`
	Choice   *string `json:"choice" binding:"omitempty,max=1000"`
	Text     *string `json:"text" binding:"omitempty,max=20000"`
}

type answerSurveyRequest struct {
	Answers []surveyValueRequest `json:"answers" binding:"max=50,dive"`
}

// answerSurvey handles POST /api/v1/processes/:slug/surveys/:phase/answers.
func (h *handlers) answerSurvey(c *gin.Context) {
	var req answerSurveyRequest
	if !h.bind(c, &req) {
		return
	}
	in := make([]survey.Value, len(req.Answers))
	for n, v := range req.Answers {
		in[n] = survey.Value{Question: v.Question, Scale: v.Scale, Yes: v.Yes, Choice: v.Choice, Text: v.Text}
	}
	if err := h.surveys.Answer(c.Request.Context(), actorFrom(c), c.Param("slug"), c.Param("phase"), in); err != nil {
		h.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// surveyCountJSON is how many answers gave one value.
type surveyCountJSON struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

type surveyTextJSON struct {
	ID       int64  `json:"id"`
	BodyHTML string `json:"body_html"`
}

type surveyQuestionResultJSON struct {
	surveyQuestionJSON
	FewerThanMin bool              `json:"fewer_than_min"`
	Answered     *int              `json:"answered"`
	Counts       []surveyCountJSON `json:"counts"`
	Mean         *float64          `json:"mean"`
	Texts        []surveyTextJSON  `json:"texts"`
}

// surveyResultsResponse is the results of a survey; with fewer than
// min_group answers, answers is null and no question has figures.
type surveyResultsResponse struct {
	Phase        string                     `json:"phase"`
	OpensAt      time.Time                  `json:"opens_at"`
	ClosesAt     time.Time                  `json:"closes_at"`
	State        string                     `json:"state"`
	Edited       bool                       `json:"edited"`
	MinGroup     int                        `json:"min_group"`
	FewerThanMin bool                       `json:"fewer_than_min"`
	Answers      *int                       `json:"answers"`
	Questions    []surveyQuestionResultJSON `json:"questions"`
}

// getSurveyResults handles GET /api/v1/processes/:slug/surveys/:phase/results.
func (h *handlers) getSurveyResults(c *gin.Context) {
	r, err := h.surveys.PublicResults(c.Request.Context(), actorFrom(c), c.Param("slug"), c.Param("phase"))
	if err != nil {
		h.fail(c, err)
		return
	}
	res := surveyResultsResponse{Phase: string(r.Phase), OpensAt: r.OpensAt.UTC(), ClosesAt: r.ClosesAt.UTC(), State: string(r.State),
		Edited: r.Edited, MinGroup: survey.MinGroup, FewerThanMin: r.FewerThanMin, Questions: make([]surveyQuestionResultJSON, len(r.Questions))}
	if !r.FewerThanMin {
		n := r.Answers
		res.Answers = &n
	}
	qs := toQuestionsJSON(questionsOf(r.Questions))
	for n, q := range r.Questions {
		out := surveyQuestionResultJSON{surveyQuestionJSON: qs[n], FewerThanMin: q.FewerThanMin, Mean: q.Mean,
			Counts: []surveyCountJSON{}, Texts: []surveyTextJSON{}}
		if !q.FewerThanMin {
			a := q.Answered
			out.Answered = &a
		}
		for _, ct := range q.Counts {
			out.Counts = append(out.Counts, surveyCountJSON{Value: ct.Value, Count: ct.Count})
		}
		for _, t := range q.Texts {
			out.Texts = append(out.Texts, surveyTextJSON{ID: t.ID, BodyHTML: t.BodyHTML})
		}
		res.Questions[n] = out
	}
	h.publicJSON(c, res, publicMaxAge)
}

func questionsOf(rs []survey.QuestionResult) []survey.Question {
	out := make([]survey.Question, len(rs))
	for n, r := range rs {
		out[n] = r.Question
	}
	return out
}
