package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// reportJob is a report job as the API shows it.
type reportJob struct {
	ID       int64  `json:"id"`
	Action   string `json:"action"`
	State    string `json:"state"`
	Progress struct {
		Step  int `json:"step"`
		Total int `json:"total"`
	} `json:"progress"`
	Attempts     int     `json:"attempts"`
	ReportNumber *int    `json:"report_number"`
	Result       *string `json:"result"`
	Error        *struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
	Preview json.RawMessage `json:"preview"`
}

func decodeJob(t *testing.T, rec *httptest.ResponseRecorder) reportJob {
	t.Helper()
	var j reportJob
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &j), rec.Body.String())
	return j
}

// async is the header that asks for a report in the background.
var async = []string{"Prefer", "respond-async"}

// startJob asks for a report job and checks the 202 and its Location.
func (f *reportFixture) startJob(t *testing.T, method, url, body string) reportJob {
	t.Helper()
	rec := f.env.Do(t, method, url, f.owner, body, async...)
	require.Equal(t, http.StatusAccepted, rec.Code, rec.Body.String())
	j := decodeJob(t, rec)
	require.Equal(t, fmt.Sprintf("/api/v1/processes/plan-2027/report-jobs/%d", j.ID), rec.Header().Get("Location"))
	require.Equal(t, "respond-async", rec.Header().Get("Preference-Applied"))
	return j
}

// job reads a job as the owner.
func (f *reportFixture) job(t *testing.T, id int64) reportJob {
	t.Helper()
	rec := f.env.Do(t, http.MethodGet, fmt.Sprintf("/api/v1/processes/plan-2027/report-jobs/%d", id), f.owner, "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	return decodeJob(t, rec)
}

// work runs the report worker once and returns how many jobs it ran.
func (f *reportFixture) work(t *testing.T) int {
	t.Helper()
	n, err := f.env.Sys.Reports.WorkJobs(context.Background())
	require.NoError(t, err)
	return n
}

func (f *reportFixture) jobRows(t *testing.T) int {
	t.Helper()
	var n int
	require.NoError(t, f.env.DB.Raw("SELECT count(*) FROM report_jobs").Scan(&n).Error)
	return n
}

// TestReportJobMakesTheSameReportAsTheRequest: a preview and a publication
// asked for with Prefer: respond-async answer 202 at once with nothing made;
// the worker then makes the very report the request would have made (same
// preview JSON, same frozen content and hash), recorded in the ledger with
// its e-mails, and the job links to it.
func TestReportJobMakesTheSameReportAsTheRequest(t *testing.T) {
	f := newReportFixture(t)
	env := f.env
	body := fmt.Sprintf(`{"phase":"public_comment","representative":["comment:%d"]}`, f.first)

	pj := f.startJob(t, http.MethodGet, fmt.Sprintf("%s/preview?phase=public_comment&representative=comment:%d", f.url, f.first), "")
	require.Equal(t, "preview", pj.Action)
	require.Equal(t, "queued", pj.State)
	require.Equal(t, 0, pj.Progress.Step)
	require.Equal(t, 6, pj.Progress.Total)
	j := f.startJob(t, http.MethodPost, f.url, body)
	require.Equal(t, "publish", j.Action)
	require.Equal(t, "queued", j.State)
	require.Equal(t, 7, j.Progress.Total)
	require.Nil(t, j.Result)
	require.Equal(t, stored{}, f.stored(t), "nothing is published before the worker runs")

	require.Equal(t, 2, f.work(t))
	require.Equal(t, 0, f.work(t), "each job runs once")

	pj = f.job(t, pj.ID)
	require.Equal(t, "done", pj.State)
	require.Equal(t, 6, pj.Progress.Step)
	require.Equal(t, fmt.Sprintf("/api/v1/processes/plan-2027/report-jobs/%d", pj.ID), *pj.Result)
	rec := env.Do(t, http.MethodGet, fmt.Sprintf("%s/preview?phase=public_comment&representative=comment:%d", f.url, f.first), f.owner, "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.JSONEq(t, rec.Body.String(), string(pj.Preview), "the preview job's report is the request's")

	j = f.job(t, j.ID)
	require.Equal(t, "done", j.State)
	require.Equal(t, 7, j.Progress.Step)
	require.Equal(t, 1, j.Attempts)
	require.Nil(t, j.Error)
	require.Equal(t, 1, *j.ReportNumber)
	require.Equal(t, "/api/v1/processes/plan-2027/reports/1", *j.Result)
	require.Equal(t, stored{Reports: 1, Entries: 1, Mails: 2}, f.stored(t))

	// The same input published while the request waits: the same content.
	sync := f.publish(t, body)
	require.Equal(t, 2, sync.Number)
	rec = env.Do(t, http.MethodGet, f.url+"/1", "", "")
	require.Equal(t, http.StatusOK, rec.Code)
	var first publishedReportJSON
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &first))
	require.Equal(t, sync.ContentSHA256, first.ContentSHA256)
	require.JSONEq(t, string(sync.Report), string(first.Report))
	var publishedBy []int64
	require.NoError(t, env.DB.Raw("SELECT published_by FROM reports ORDER BY number").Scan(&publishedBy).Error)
	require.Equal(t, publishedBy[1], publishedBy[0], "the job publishes on behalf of the owner who asked")
	rec = env.Do(t, http.MethodGet, "/api/v1/processes/plan-2027/ledger/verify", "", "")
	require.Equal(t, true, decode(t, rec)["ok"], rec.Body.String())

	// Without the header, nothing changes: 201 and no job.
	require.Equal(t, 2, f.jobRows(t))
}

// TestReportJobProgressMovesForward: every progress the job stores rises one
// step at a time from 0 to its total, and owners polling it meanwhile never
// see it go back.
func TestReportJobProgressMovesForward(t *testing.T) {
	f := newReportFixture(t)
	env := f.env
	// Every stored change of a job's progress, in order, as the database saw it.
	require.NoError(t, env.DB.Exec(`CREATE TABLE job_progress (n serial, step int, total int, state text)`).Error)
	require.NoError(t, env.DB.Exec(`CREATE FUNCTION log_job_progress() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$
		BEGIN INSERT INTO job_progress (step, total, state) VALUES (NEW.step, NEW.total, NEW.state); RETURN NEW; END $$`).Error)
	require.NoError(t, env.DB.Exec(`CREATE TRIGGER job_progress AFTER UPDATE ON report_jobs FOR EACH ROW EXECUTE FUNCTION log_job_progress()`).Error)

	j := f.startJob(t, http.MethodPost, f.url, `{}`)
	var wg sync.WaitGroup
	stop := make(chan struct{})
	var seen []int
	wg.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
			}
			seen = append(seen, f.job(t, j.ID).Progress.Step)
		}
	})
	require.Equal(t, 1, f.work(t))
	close(stop)
	wg.Wait()

	var log []struct {
		Step, Total int
		State       string
	}
	require.NoError(t, env.DB.Raw("SELECT step, total, state FROM job_progress ORDER BY n").Scan(&log).Error)
	var steps []int
	for _, l := range log {
		require.Equal(t, 7, l.Total)
		steps = append(steps, l.Step)
	}
	require.Equal(t, []int{0, 1, 2, 3, 4, 5, 6, 7}, steps, "claimed at 0, then each step once")
	require.Equal(t, "done", log[len(log)-1].State)
	require.NotEmpty(t, seen)
	for i := 1; i < len(seen); i++ {
		require.GreaterOrEqual(t, seen[i], seen[i-1], "progress seen going back: %v", seen)
	}
	require.Equal(t, 7, f.job(t, j.ID).Progress.Step)
}

// TestReportJobWhoMay: only the process's owners and administrators start a
// report job or read one; the others are refused as the report's own routes
// refuse them and nothing is stored; a job is found under its own process
// only.
func TestReportJobWhoMay(t *testing.T) {
	f := newReportFixture(t)
	env := f.env
	for _, tt := range []struct {
		name, token string
		want        int
	}{
		{"requires authentication", "", http.StatusUnauthorized},
		{"a citizen may not", f.alice, http.StatusForbidden},
		{"a moderator may not", f.moderator, http.StatusForbidden},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec := env.Do(t, http.MethodGet, f.url+"/preview", tt.token, "", async...)
			require.Equal(t, tt.want, rec.Code, rec.Body.String())
			rec = env.Do(t, http.MethodPost, f.url, tt.token, `{}`, async...)
			require.Equal(t, tt.want, rec.Code, rec.Body.String())
		})
	}
	require.Zero(t, f.jobRows(t))

	j := f.startJob(t, http.MethodPost, f.url, `{}`)
	url := fmt.Sprintf("/api/v1/processes/plan-2027/report-jobs/%d", j.ID)
	for _, tt := range []struct {
		name, token string
		want        int
		code        string
	}{
		{"requires authentication", "", http.StatusUnauthorized, "auth.required"},
		{"a citizen may not read it", f.alice, http.StatusForbidden, "report.not_owner"},
		{"nor a moderator", f.moderator, http.StatusForbidden, "report.not_owner"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec := env.Do(t, http.MethodGet, url, tt.token, "")
			require.Equal(t, tt.want, rec.Code, rec.Body.String())
			code, _ := errorOf(t, rec)
			require.Equal(t, tt.code, code)
		})
	}
	rec := env.Do(t, http.MethodGet, url, env.AdminToken(t), "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())

	// The owner of another process reads neither this job nor, under their
	// own process, a job that is not of it.
	env.createProcess(t, "plan-other")
	other := makeUser(t, env, "other-owner@example.org", false)
	env.grantRole(t, "plan-other", "other-owner@example.org", "owner")
	rec = env.Do(t, http.MethodGet, url, other, "")
	require.Equal(t, http.StatusForbidden, rec.Code, rec.Body.String())
	for _, u := range []string{fmt.Sprintf("/api/v1/processes/plan-other/report-jobs/%d", j.ID), "/api/v1/processes/plan-other/report-jobs/x",
		"/api/v1/processes/plan-other/report-jobs/0"} {
		rec = env.Do(t, http.MethodGet, u, other, "")
		require.Equal(t, http.StatusNotFound, rec.Code, rec.Body.String())
		code, _ := errorOf(t, rec)
		require.Equal(t, "report.job_not_found", code)
	}

	// An unpublished process's jobs are not found by strangers.
	env.createUnpublished(t, "plan-hidden")
	rec = env.Do(t, http.MethodPost, "/api/v1/processes/plan-hidden/reports", f.alice, `{}`, async...)
	require.Equal(t, http.StatusNotFound, rec.Code, rec.Body.String())
	require.Equal(t, 1, f.jobRows(t))
}

// TestReportJobBadInputStoresNothing: bad input is refused while the request
// waits, exactly as without the header (422 naming the field, 400 for a
// malformed body), and no job is stored.
func TestReportJobBadInputStoresNothing(t *testing.T) {
	f := newReportFixture(t)
	env := f.env
	for _, tt := range []struct {
		name, method, url, body string
		want                    int
		field                   string
	}{
		{"unknown phase", http.MethodPost, f.url, `{"phase":"drafting"}`, http.StatusUnprocessableEntity, "phase:unknown"},
		{"hidden comment", http.MethodPost, f.url, fmt.Sprintf(`{"representative":["comment:%d"]}`, f.hidden), http.StatusUnprocessableEntity, "representative[0]:not_public"},
		{"malformed ref", http.MethodPost, f.url, `{"representative":["idea"]}`, http.StatusUnprocessableEntity, "representative[0]:format"},
		{"unknown field", http.MethodPost, f.url, `{"unknown":1}`, http.StatusBadRequest, ""},
		{"preview of a hidden comment", http.MethodGet, fmt.Sprintf("%s/preview?representative=comment:%d", f.url, f.hidden), "", http.StatusUnprocessableEntity, "representative[0]:not_public"},
		{"preview of an unknown phase", http.MethodGet, f.url + "/preview?phase=later", "", http.StatusUnprocessableEntity, "phase:unknown"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec := env.Do(t, tt.method, tt.url, f.owner, tt.body, async...)
			require.Equal(t, tt.want, rec.Code, rec.Body.String())
			require.Empty(t, rec.Header().Get("Location"))
			if tt.field != "" {
				code, fields := errorOf(t, rec)
				require.Equal(t, "report.invalid", code)
				require.Equal(t, []string{tt.field}, fields)
			}
		})
	}
	require.Zero(t, f.jobRows(t))
	require.Equal(t, stored{}, f.stored(t))
}

// TestReportJobConcurrentPublishesMakeOneReport: two owners' publications
// asked for at once become one job and one report, however many workers
// run; another scope asked for meanwhile is refused with 409 until it ends,
// and a publication asked for after it is a new job.
func TestReportJobConcurrentPublishesMakeOneReport(t *testing.T) {
	f := newReportFixture(t)
	env := f.env
	env.grantRole(t, "plan-2027", "moderator@example.org", "owner")
	tokens := []string{f.owner, f.moderator, f.owner, f.moderator}
	recs := make([]*httptest.ResponseRecorder, len(tokens))
	var wg sync.WaitGroup
	for i, token := range tokens {
		wg.Go(func() { recs[i] = env.Do(t, http.MethodPost, f.url, token, `{}`, async...) })
	}
	wg.Wait()
	ids := map[int64]bool{}
	for _, rec := range recs {
		require.Equal(t, http.StatusAccepted, rec.Code, rec.Body.String())
		ids[decodeJob(t, rec).ID] = true
	}
	require.Len(t, ids, 1, "one job for the same publication")
	require.Equal(t, 1, f.jobRows(t))

	rec := env.Do(t, http.MethodPost, f.url, f.owner, `{"phase":"public_comment"}`, async...)
	require.Equal(t, http.StatusConflict, rec.Code, rec.Body.String())
	code, _ := errorOf(t, rec)
	require.Equal(t, "report.publish_running", code)
	require.Equal(t, 1, f.jobRows(t))

	ran := make([]int, 3)
	for i := range ran {
		wg.Go(func() {
			n, err := env.Sys.Reports.WorkJobs(context.Background())
			require.NoError(t, err)
			ran[i] = n
		})
	}
	wg.Wait()
	require.Equal(t, 1, ran[0]+ran[1]+ran[2], "one worker ran it: %v", ran)
	require.Equal(t, stored{Reports: 1, Entries: 1, Mails: 2}, f.stored(t))

	// Once it has ended, another publication is a new job (a revision).
	j := f.startJob(t, http.MethodPost, f.url, `{}`)
	require.False(t, ids[j.ID])
	require.Equal(t, 1, f.work(t))
	j = f.job(t, j.ID)
	require.Equal(t, 2, *j.ReportNumber)
	require.Equal(t, stored{Reports: 2, Entries: 2, Mails: 2}, f.stored(t))
}
